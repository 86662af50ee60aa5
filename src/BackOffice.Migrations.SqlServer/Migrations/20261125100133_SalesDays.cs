using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SalesDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SalesDays",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    OutletId = table.Column<int>(type: "int", nullable: false),
                    TillId = table.Column<int>(type: "int", nullable: false),
                    ProductId = table.Column<int>(type: "int", nullable: false),
                    SoldQuantity = table.Column<int>(type: "int", nullable: false),
                    SoldRevenue = table.Column<double>(type: "float", nullable: false),
                    SoldCost = table.Column<double>(type: "float", nullable: false),
                    ReturnedQuantity = table.Column<int>(type: "int", nullable: false),
                    ReturnedRevenue = table.Column<double>(type: "float", nullable: false),
                    ReturnedCost = table.Column<double>(type: "float", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SalesDays", x => new { x.Day, x.OutletId, x.ProductId, x.TillId });
                    table.ForeignKey(
                        name: "FK_SalesDays_Outlets_OutletId",
                        column: x => x.OutletId,
                        principalTable: "Outlets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SalesDays_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SalesDays_OutletId_Day",
                table: "SalesDays",
                columns: new[] { "OutletId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_SalesDays_ProductId_Day",
                table: "SalesDays",
                columns: new[] { "ProductId", "Day" });

            // The sales recorded so far, summed into their days (from then on the recorders keep the rows).
            migrationBuilder.Sql(global::BackOffice.Core.Sales.SalesDays.RebuildSql(sqlServer: true));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SalesDays");
        }
    }
}
