using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackOffice.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PendingReportedAt",
                table: "Tills",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "TokenIssuedAt",
                table: "Tills",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RejectedSales",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SaleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OutletId = table.Column<int>(type: "INTEGER", nullable: false),
                    TillId = table.Column<int>(type: "INTEGER", nullable: true),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    PayloadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Errors = table.Column<string>(type: "TEXT", nullable: true),
                    ProblemStatus = table.Column<int>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    SettledAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SettledBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    SettlementNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
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
        }
    }
}
