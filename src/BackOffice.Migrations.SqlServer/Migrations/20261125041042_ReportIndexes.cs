using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Discrepancies_OutletId",
                table: "Discrepancies");

            migrationBuilder.CreateIndex(
                name: "IX_Movements_CreatedAt",
                table: "Movements",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Discrepancies_OutletId_CreatedAt",
                table: "Discrepancies",
                columns: new[] { "OutletId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Movements_CreatedAt",
                table: "Movements");

            migrationBuilder.DropIndex(
                name: "IX_Discrepancies_OutletId_CreatedAt",
                table: "Discrepancies");

            migrationBuilder.CreateIndex(
                name: "IX_Discrepancies_OutletId",
                table: "Discrepancies",
                column: "OutletId");
        }
    }
}
