using BenchmarkDotNet.Running;
using Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- generate-history [file]   a year of history for the reports
// dotnet run -c Release --project tests/Benchmarks -- measure-reports [file]    report first-page times and CSV memory
// anything else: BenchmarkDotNet's switcher (the engine benchmarks).
var file = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "backoffice-history.db");
switch (args.FirstOrDefault())
{
    case "generate-history":
        HistoryGenerator.Run(file, DateTime.UtcNow);
        break;
    case "measure-reports":
        await ReportTimings.RunAsync(file);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(HistoryGenerator).Assembly).Run(args);
        break;
}
