using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ExpiryMarks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiryMarkedAt",
                table: "Batches",
                type: "datetime2",
                nullable: true);

            // hand-written: batches the expiry job marked before this column existed (their 0-unit Expiry line, kind 6) are marked
            // as of that line, so that no run marks them a second time.
            migrationBuilder.Sql(@"UPDATE [Batches] SET [ExpiryMarkedAt] = (SELECT MIN(m.[CreatedAt]) FROM [Movements] AS m WHERE m.[BatchId] = [Batches].[Id] AND m.[Kind] = 6 AND m.[Quantity] = 0) WHERE EXISTS (SELECT 1 FROM [Movements] AS m WHERE m.[BatchId] = [Batches].[Id] AND m.[Kind] = 6 AND m.[Quantity] = 0);");

            migrationBuilder.CreateIndex(
                name: "IX_Batches_UnmarkedOnHand",
                table: "Batches",
                columns: new[] { "OutletId", "ExpiryDate" },
                filter: "OnHand > 0 AND ExpiryMarkedAt IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Batches_UnmarkedOnHand",
                table: "Batches");

            migrationBuilder.DropColumn(
                name: "ExpiryMarkedAt",
                table: "Batches");
        }
    }
}
