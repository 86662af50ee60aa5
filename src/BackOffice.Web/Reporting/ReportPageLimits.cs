namespace BackOffice.Web.Reporting;

public static class ReportPageLimits
{
    /// <summary>A chart of days shows at most a year and a bit; longer ranges are in the table and the CSV.</summary>
    public const int ChartDays = 400;
}
