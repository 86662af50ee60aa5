using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class OutletsAndFirstRun : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Address",
                table: "Outlets",
                type: "nvarchar(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClosedAt",
                table: "Outlets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Culture",
                table: "Outlets",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Currency",
                table: "Outlets",
                type: "nvarchar(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PricesIncludeTax",
                table: "Outlets",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "FirstRun",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    AdminEmail = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FirstRun", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OutletTaxRates",
                columns: table => new
                {
                    OutletId = table.Column<int>(type: "int", nullable: false),
                    Category = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    RatePercent = table.Column<decimal>(type: "decimal(6,3)", precision: 6, scale: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutletTaxRates", x => new { x.OutletId, x.Category });
                    table.ForeignKey(
                        name: "FK_OutletTaxRates_Outlets_OutletId",
                        column: x => x.OutletId,
                        principalTable: "Outlets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FirstRun");

            migrationBuilder.DropTable(
                name: "OutletTaxRates");

            migrationBuilder.DropColumn(
                name: "Address",
                table: "Outlets");

            migrationBuilder.DropColumn(
                name: "ClosedAt",
                table: "Outlets");

            migrationBuilder.DropColumn(
                name: "Culture",
                table: "Outlets");

            migrationBuilder.DropColumn(
                name: "Currency",
                table: "Outlets");

            migrationBuilder.DropColumn(
                name: "PricesIncludeTax",
                table: "Outlets");
        }
    }
}
