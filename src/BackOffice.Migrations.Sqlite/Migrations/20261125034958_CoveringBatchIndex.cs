using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CoveringBatchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Batches_OutletId_ProductId_ExpiryDate",
                table: "Batches");

            migrationBuilder.CreateIndex(
                name: "IX_Batches_OutletId_ProductId_ExpiryDate_OnHand",
                table: "Batches",
                columns: new[] { "OutletId", "ProductId", "ExpiryDate", "OnHand" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Batches_OutletId_ProductId_ExpiryDate_OnHand",
                table: "Batches");

            migrationBuilder.CreateIndex(
                name: "IX_Batches_OutletId_ProductId_ExpiryDate",
                table: "Batches",
                columns: new[] { "OutletId", "ProductId", "ExpiryDate" });
        }
    }
}
