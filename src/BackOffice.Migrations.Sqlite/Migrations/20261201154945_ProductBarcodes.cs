using System.Linq;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ProductBarcodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProductBarcodes",
                columns: table => new
                {
                    ProductId = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductBarcodes", x => new { x.ProductId, x.Key });
                    table.ForeignKey(
                        name: "FK_ProductBarcodes_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProductBarcodes_Key",
                table: "ProductBarcodes",
                column: "Key",
                unique: true);

            // hand-written: every product's barcode becomes its first entry in ProductBarcodes, keyed as GTIN-14 when it is a valid
            // GTIN (8, 12, 13 or 14 digits with a right check digit), else as itself. Where two products' barcodes are one GTIN,
            // the older product keeps it (the key is unique); the other keeps its Barcode column but no scan finds it by it.
            migrationBuilder.Sql(BackfillSql());
        }

        // hand-written: the GS1 check digit in SQL, over the barcode left-padded to 14 digits (weights 3,1,3,… from the left).
        private static string BackfillSql()
        {
            const string padded = "substr('00000000000000' || \"Barcode\", -14, 14)";
            var sum = string.Join(" + ", Enumerable.Range(1, 13).Select(i => $"CAST(substr({padded}, {i}, 1) AS INTEGER) * {(i % 2 == 1 ? 3 : 1)}"));
            var check = $"CAST(substr({padded}, 14, 1) AS INTEGER)";
            var key = $"CASE WHEN length(\"Barcode\") IN (8, 12, 13, 14) AND \"Barcode\" NOT GLOB '*[^0-9]*' " +
                      $"THEN CASE WHEN (10 - ({sum}) % 10) % 10 = {check} THEN {padded} ELSE \"Barcode\" END ELSE \"Barcode\" END";
            return "INSERT INTO \"ProductBarcodes\" (\"ProductId\", \"Key\", \"Code\") " +
                   "SELECT \"Id\", k, \"Barcode\" FROM (SELECT \"Id\", \"Barcode\", k, ROW_NUMBER() OVER (PARTITION BY k ORDER BY \"Id\") AS n " +
                   $"FROM (SELECT \"Id\", \"Barcode\", {key} AS k FROM \"Products\" WHERE \"Barcode\" IS NOT NULL) x) y WHERE n = 1;";
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProductBarcodes");
        }
    }
}
