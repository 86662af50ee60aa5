using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class PricesAndTax : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "ReturnedNet",
                table: "SalesDays",
                type: "float",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "ReturnedTax",
                table: "SalesDays",
                type: "float",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SoldNet",
                table: "SalesDays",
                type: "float",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SoldTax",
                table: "SalesDays",
                type: "float",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<string>(
                name: "Currency",
                table: "Sales",
                type: "nvarchar(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "Net",
                table: "SaleLines",
                type: "decimal(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "Tax",
                table: "SaleLines",
                type: "decimal(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "TaxCategory",
                table: "SaleLines",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "standard");

            migrationBuilder.AddColumn<decimal>(
                name: "TaxRate",
                table: "SaleLines",
                type: "decimal(6,3)",
                precision: 6,
                scale: 3,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "Net",
                table: "ReturnLines",
                type: "decimal(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "Tax",
                table: "ReturnLines",
                type: "decimal(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "TaxCategory",
                table: "ReturnLines",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "standard");

            migrationBuilder.AddColumn<decimal>(
                name: "TaxRate",
                table: "ReturnLines",
                type: "decimal(6,3)",
                precision: 6,
                scale: 3,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "TaxCategory",
                table: "Products",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "standard");

            migrationBuilder.CreateTable(
                name: "ProductPrices",
                columns: table => new
                {
                    ProductId = table.Column<int>(type: "int", nullable: false),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    Price = table.Column<decimal>(type: "decimal(18,2)", precision: 18, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductPrices", x => new { x.ProductId, x.Currency });
                    table.ForeignKey(
                        name: "FK_ProductPrices_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Sales recorded before tax was kept: their lines charged their prices with no tax known (net = the line's amount).
            migrationBuilder.Sql("UPDATE \"SaleLines\" SET \"Net\" = \"Quantity\" * \"UnitPrice\";");
            migrationBuilder.Sql("UPDATE \"ReturnLines\" SET \"Net\" = \"Quantity\" * COALESCE((SELECT MAX(l.\"UnitPrice\") FROM \"SaleLines\" l JOIN \"Returns\" r ON r.\"SaleId\" = l.\"SaleId\" " +
                                 "WHERE r.\"Id\" = \"ReturnLines\".\"ReturnId\" AND l.\"ProductId\" = \"ReturnLines\".\"ProductId\"), 0);");
            migrationBuilder.Sql("UPDATE \"SalesDays\" SET \"SoldNet\" = \"SoldRevenue\", \"ReturnedNet\" = \"ReturnedRevenue\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProductPrices");

            migrationBuilder.DropColumn(
                name: "ReturnedNet",
                table: "SalesDays");

            migrationBuilder.DropColumn(
                name: "ReturnedTax",
                table: "SalesDays");

            migrationBuilder.DropColumn(
                name: "SoldNet",
                table: "SalesDays");

            migrationBuilder.DropColumn(
                name: "SoldTax",
                table: "SalesDays");

            migrationBuilder.DropColumn(
                name: "Currency",
                table: "Sales");

            migrationBuilder.DropColumn(
                name: "Net",
                table: "SaleLines");

            migrationBuilder.DropColumn(
                name: "Tax",
                table: "SaleLines");

            migrationBuilder.DropColumn(
                name: "TaxCategory",
                table: "SaleLines");

            migrationBuilder.DropColumn(
                name: "TaxRate",
                table: "SaleLines");

            migrationBuilder.DropColumn(
                name: "Net",
                table: "ReturnLines");

            migrationBuilder.DropColumn(
                name: "Tax",
                table: "ReturnLines");

            migrationBuilder.DropColumn(
                name: "TaxCategory",
                table: "ReturnLines");

            migrationBuilder.DropColumn(
                name: "TaxRate",
                table: "ReturnLines");

            migrationBuilder.DropColumn(
                name: "TaxCategory",
                table: "Products");
        }
    }
}
