using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class LotRecalls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Batches_OutletId_ProductId_ExpiryDate",
                table: "Batches");

            migrationBuilder.DropIndex(
                name: "IX_Batches_ProductId",
                table: "Batches");

            migrationBuilder.AddColumn<bool>(
                name: "Quarantined",
                table: "Batches",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "Lots",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ProductId = table.Column<int>(type: "int", nullable: false),
                    LotNumber = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ChangedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Lots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Lots_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Batches_OutletId_ProductId_ExpiryDate",
                table: "Batches",
                columns: new[] { "OutletId", "ProductId", "ExpiryDate" })
                .Annotation("SqlServer:Include", new[] { "OnHand", "Quarantined" });

            migrationBuilder.CreateIndex(
                name: "IX_Batches_ProductId_LotNumber",
                table: "Batches",
                columns: new[] { "ProductId", "LotNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Lots_ProductId_LotNumber",
                table: "Lots",
                columns: new[] { "ProductId", "LotNumber" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Lots");

            migrationBuilder.DropIndex(
                name: "IX_Batches_OutletId_ProductId_ExpiryDate",
                table: "Batches");

            migrationBuilder.DropIndex(
                name: "IX_Batches_ProductId_LotNumber",
                table: "Batches");

            migrationBuilder.DropColumn(
                name: "Quarantined",
                table: "Batches");

            migrationBuilder.CreateIndex(
                name: "IX_Batches_OutletId_ProductId_ExpiryDate",
                table: "Batches",
                columns: new[] { "OutletId", "ProductId", "ExpiryDate" })
                .Annotation("SqlServer:Include", new[] { "OnHand" });

            migrationBuilder.CreateIndex(
                name: "IX_Batches_ProductId",
                table: "Batches",
                column: "ProductId");
        }
    }
}
