using System.Diagnostics;
using BackOffice.Core.Data;
using BackOffice.Core.Reporting;
using BackOffice.Web.Reporting;
using Microsoft.EntityFrameworkCore;

namespace Benchmarks;

/// <summary>
/// The first page of each report on the generated history (what a page asks for when it opens), and the memory of the
/// full ledger's CSV export. Each figure is the median of 3 runs after one warm-up, each run on a new context.
/// </summary>
public static class ReportTimings
{
    public static async Task RunAsync(string path)
    {
        var builder = new DbContextOptionsBuilder<BackOfficeDb>().UseBackOfficeDatabase(DatabaseProvider.Sqlite, $"Data Source={path}");
        // BACKOFFICE_LOG_SQL=1 prints each command with its time.
        if (Environment.GetEnvironmentVariable("BACKOFFICE_LOG_SQL") == "1")
            builder.LogTo(Console.WriteLine, [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted]);
        var options = builder.Options;
        BackOfficeDb Open() => new(options);
        var clock = TimeProvider.System;
        int outlet;
        DateOnly today;
        await using (var db = Open())
        {
            outlet = await db.Outlets.OrderBy(o => o.Code).Select(o => o.Id).FirstAsync();
            var last = await db.Movements.MaxAsync(m => m.CreatedAt);
            today = DateOnly.FromDateTime(last);
            Console.WriteLine($"{await db.Movements.CountAsync():N0} movements, {await db.Batches.CountAsync():N0} batches, {await db.Products.CountAsync():N0} products, {await db.SaleLines.CountAsync():N0} sale lines");
        }
        var month = new ReportFilter(outlet, today.AddDays(-29), today);
        var all = new ReportFilter();
        var cases = new (string Name, Func<Reports, Task> Run)[]
        {
            ("stock and valuation (all outlets)", r => r.StockValuationAsync(all, 0, 25)),
            ("expiring in 30 days (all outlets)", r => r.ExpiringAsync(all, ExpirySection.Soon, 30, 0, 25)),
            ("expired, not written off", r => r.ExpiringAsync(all, ExpirySection.Expired, 30, 0, 25)),
            ("ledger, newest 50 (no filter)", r => r.LedgerAsync(new LedgerFilter(all))),
            ("ledger, one outlet, 30 days", r => r.LedgerAsync(new LedgerFilter(month))),
            ("ledger, one product", r => r.LedgerAsync(new LedgerFilter(all with { Product = "SKU-00042" }))),
            ("sales by day, one outlet, 30 days (page and chart)", r => r.SalesRowsAsync(month, SalesBy.Day)),
            ("sales by product, all outlets, 30 days", r => r.SalesAsync(month with { OutletId = null }, SalesBy.Product, 0, 25)),
            ("sales by day, all outlets, a year", r => r.SalesAsync(new ReportFilter(null, today.AddDays(-364), today), SalesBy.Day, 0, 25)),
            ("reorder (all outlets)", r => r.ReorderAsync(all, 0, 25)),
            ("discrepancies (all outlets, a year)", r => r.DiscrepanciesAsync(all, 0, 25)),
            ("stock-take variance (all)", r => r.VarianceAsync(all, 0, 25)),
        };
        Console.WriteLine();
        Console.WriteLine("| report, first page | median ms | max ms |");
        Console.WriteLine("|---|---:|---:|");
        var only = Environment.GetEnvironmentVariable("BACKOFFICE_REPORT");
        foreach (var (name, run) in cases.Where(c => only is null || c.Name.Contains(only)))
        {
            var times = new List<double>();
            for (var i = 0; i < 4; i++)
            {
                await using var db = Open();
                var watch = Stopwatch.StartNew();
                await run(new Reports(db, clock));
                if (i > 0) times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"| {name} | {times[1]:N0} | {times[^1]:N0} |");
        }

        // The whole ledger as CSV, into a stream that only counts, sampling memory as it goes.
        await using (var db = Open())
        {
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            var sampler = new SamplingStream();
            var watch = Stopwatch.StartNew();
            var rows = await CsvExport.WriteAsync(sampler, "ledger", new ReportQuery(all), db, clock, BackOffice.Core.Outlets.BaseCurrency.Gbp);
            Console.WriteLine();
            Console.WriteLine($"ledger CSV: {rows:N0} rows, {sampler.Length / 1024.0 / 1024.0:N0} MiB in {watch.Elapsed.TotalSeconds:N1} s; " +
                              $"managed heap before {before / 1024.0 / 1024.0:N1} MiB, peak {sampler.PeakHeap / 1024.0 / 1024.0:N1} MiB; " +
                              $"working set peak {sampler.PeakWorkingSet / 1024.0 / 1024.0:N0} MiB; heap samples (MiB) {string.Join(" ", sampler.Samples.Select(s => (s / 1024.0 / 1024.0).ToString("N0")))}");
        }
    }

    /// <summary>Counts what is written and records the managed heap and working set every 16 MiB.</summary>
    private sealed class SamplingStream : Stream
    {
        private long _nextSample;
        public long PeakHeap { get; private set; }
        public long PeakWorkingSet { get; private set; }
        public List<long> Samples { get; } = [];
        public override long Length => _length;
        private long _length;

        public override void Write(byte[] buffer, int offset, int count) => Count(count);
        public override void Write(ReadOnlySpan<byte> buffer) => Count(buffer.Length);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) { Count(buffer.Length); return ValueTask.CompletedTask; }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) { Count(count); return Task.CompletedTask; }

        private void Count(int bytes)
        {
            _length += bytes;
            if (_length < _nextSample) return;
            _nextSample = _length + 16 * 1024 * 1024;
            var heap = GC.GetTotalMemory(false);
            Samples.Add(heap);
            PeakHeap = Math.Max(PeakHeap, heap);
            PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
        }

        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
