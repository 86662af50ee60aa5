using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class TillSafety : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "PendingOnDevice",
                table: "Tills",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PendingReportedAt",
                table: "Tills",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "TokenIssuedAt",
                table: "Tills",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "SoldQuantity",
                table: "SalesDays",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "int");

            migrationBuilder.AlterColumn<long>(
                name: "ReturnedQuantity",
                table: "SalesDays",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "int");

            migrationBuilder.CreateTable(
                name: "RejectedSales",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SaleId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OutletId = table.Column<int>(type: "int", nullable: false),
                    TillId = table.Column<int>(type: "int", nullable: true),
                    Payload = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    PayloadHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Source = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Errors = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ProblemStatus = table.Column<int>(type: "int", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    SettledAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    SettledBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    SettlementNote = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RejectedSales", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RejectedSales_Outlets_OutletId",
                        column: x => x.OutletId,
                        principalTable: "Outlets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RejectedSales_Tills_TillId",
                        column: x => x.TillId,
                        principalTable: "Tills",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RejectedSales_OutletId",
                table: "RejectedSales",
                column: "OutletId");

            migrationBuilder.CreateIndex(
                name: "IX_RejectedSales_SaleId_PayloadHash",
                table: "RejectedSales",
                columns: new[] { "SaleId", "PayloadHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RejectedSales_Status_ReceivedAt",
                table: "RejectedSales",
                columns: new[] { "Status", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RejectedSales_TillId",
                table: "RejectedSales",
                column: "TillId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RejectedSales");

            migrationBuilder.DropColumn(
                name: "PendingOnDevice",
                table: "Tills");

            migrationBuilder.DropColumn(
                name: "PendingReportedAt",
                table: "Tills");

            migrationBuilder.DropColumn(
                name: "TokenIssuedAt",
                table: "Tills");

            migrationBuilder.AlterColumn<int>(
                name: "SoldQuantity",
                table: "SalesDays",
                type: "int",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AlterColumn<int>(
                name: "ReturnedQuantity",
                table: "SalesDays",
                type: "int",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");
        }
    }
}
