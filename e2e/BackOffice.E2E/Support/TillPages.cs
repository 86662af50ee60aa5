using System.Diagnostics;
using Microsoft.Playwright;

namespace BackOffice.E2E.Support;

/// <summary>Steps on the till PWA (/till/) the till tests share. A browser context is one device: its own IndexedDB and Web Locks.</summary>
public static class TillPages
{
    /// <summary>
    /// A tab of the till in <paramref name="context"/>: enters <paramref name="token"/> on the setup screen if this device has none
    /// yet, and waits until the catalog (searched for the sku) shows <paramref name="sku"/> and the service worker is ready.
    /// </summary>
    public static async Task<IPage> OpenTillAsync(this IBrowserContext context, string token, string sku)
    {
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();   // "leave the page with unsynced sales?"
        await page.GotoAsync("/till/");
        await page.WaitForSelectorAsync("#app[data-state=setup], #app[data-state=till]");
        if (await page.GetAttributeAsync("#app", "data-state") == "setup")
        {
            await page.GetByTestId("token-input").FillAsync(token);
            await page.GetByTestId("token-submit").ClickAsync();
        }
        await Assertions.Expect(page.GetByTestId("till-screen")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        // The list shows the first 60 products by name: search, so that it shows this one whatever else the catalog holds.
        await page.GetByTestId("search").FillAsync(sku);
        await Assertions.Expect(page.ProductRow(sku)).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await page.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => true)");
        return page;
    }

    public static ILocator ProductRow(this IPage page, string sku) => page.Locator($"[data-testid=product-row][data-sku='{sku}']");

    /// <summary>
    /// Sells <paramref name="quantity"/> of the sku (cash, exact) and returns the sale id the receipt shows: the id of the cart that
    /// was paid, checked on the receipt. The receipt stays open when <paramref name="keepReceipt"/>.
    /// </summary>
    public static async Task<string> SellAsync(this IPage page, string sku, int quantity = 1, bool doubleClick = false, bool keepReceipt = false)
    {
        await page.GetByTestId("search").FillAsync(sku);
        await page.ProductRow(sku).ClickAsync();
        for (var i = 1; i < quantity; i++) await page.GetByTestId("cart-line-inc").First.ClickAsync();
        await Assertions.Expect(page.Locator($"[data-testid=cart-line][data-sku='{sku}']")).ToHaveAttributeAsync("data-quantity", quantity.ToString());
        var saleId = await page.GetByTestId("cart").GetAttributeAsync("data-sale-id");
        saleId.ShouldNotBeNullOrEmpty();
        await page.GetByTestId("pay").ClickAsync();
        if (doubleClick) await page.GetByTestId("confirm-payment").DblClickAsync();
        else await page.GetByTestId("confirm-payment").ClickAsync();
        await Assertions.Expect(page.GetByTestId("receipt-panel")).ToBeVisibleAsync();
        var receipt = page.GetByTestId("receipt");
        await Assertions.Expect(receipt).ToHaveAttributeAsync("data-sale-id", saleId!);
        await Assertions.Expect(receipt.GetByTestId("receipt-sale-id")).ToHaveTextAsync($"Sale {saleId}");
        await Assertions.Expect(receipt.Locator($"[data-testid=receipt-line][data-sku='{sku}']")).ToHaveCountAsync(1);
        if (!keepReceipt) await page.GetByTestId("new-sale").ClickAsync();
        return saleId!;
    }

    /// <summary>
    /// Types <paramref name="code"/> as a keyboard-wedge scanner does: a burst of real key presses 4 ms apart, then Enter, each GS
    /// (ASCII 29) of a GS1 code sent as Ctrl+]. The keys go to the browser's input through the Chrome DevTools Protocol, stamped with
    /// the scanner's timing: Playwright's keyboard sends them tens of milliseconds apart on a busy machine, which the till's scanner
    /// detection rightly takes for a person typing.
    /// </summary>
    public static async Task ScanAsync(this IPage page, string code)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var sent = new List<Task>();
        // Each key is stamped 4 ms after the previous one, as a scanner sends them, however late the browser handles it.
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        void Send(Dictionary<string, object> key)
        {
            key["timestamp"] = at += 0.004;
            sent.Add(cdp.SendAsync("Input.dispatchKeyEvent", key));
        }
        foreach (var ch in code + "\r")
        {
            if (ch == '\u001d')
            {
                Send(new() { ["type"] = "rawKeyDown", ["key"] = "Control", ["code"] = "ControlLeft", ["windowsVirtualKeyCode"] = 17, ["modifiers"] = 2 });
                Send(new() { ["type"] = "rawKeyDown", ["key"] = "]", ["code"] = "BracketRight", ["windowsVirtualKeyCode"] = 221, ["modifiers"] = 2 });
                Send(new() { ["type"] = "keyUp", ["key"] = "]", ["code"] = "BracketRight", ["windowsVirtualKeyCode"] = 221, ["modifiers"] = 2 });
                Send(new() { ["type"] = "keyUp", ["key"] = "Control", ["code"] = "ControlLeft", ["windowsVirtualKeyCode"] = 17 });
                continue;
            }
            var (key, keyCode, vk) = ch switch
            {
                '\r' => ("Enter", "Enter", 13),
                >= '0' and <= '9' => (ch.ToString(), $"Digit{ch}", (int)ch),
                >= 'A' and <= 'Z' => (ch.ToString(), $"Key{ch}", (int)ch),
                >= 'a' and <= 'z' => (ch.ToString(), $"Key{char.ToUpperInvariant(ch)}", (int)char.ToUpperInvariant(ch)),
                _ => (ch.ToString(), "", 0),
            };
            Send(new() { ["type"] = "keyDown", ["key"] = key, ["code"] = keyCode, ["windowsVirtualKeyCode"] = vk, ["text"] = ch.ToString(), ["unmodifiedText"] = ch.ToString() });
            Send(new() { ["type"] = "keyUp", ["key"] = key, ["code"] = keyCode, ["windowsVirtualKeyCode"] = vk });
        }
        await Task.WhenAll(sent);
        await cdp.DetachAsync();
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds)) throw new TimeoutException($"Waited {seconds} s for: {what}");
            await Task.Delay(250);
        }
    }

    /// <summary>Registers a till at the first outlet on the Tills page (the page stays there) and returns its token.</summary>
    public static async Task<string> RegisterTillAsync(this IPage page, string name)
    {
        await page.OpenAsync("/tills");
        await page.GetByTestId("till-name").EnterAsync(name);
        await page.GetByTestId("till-register").ClickUntilAsync(page.GetByTestId("secret-value"));
        var token = (await page.GetByTestId("secret-value").InnerTextAsync()).Trim();
        token.ShouldStartWith("till_");
        return token;
    }

    /// <summary>The till's row on the Tills page.</summary>
    public static ILocator TillRow(this IPage page, string name) =>
        page.GetByTestId("tills").Locator("tbody tr").Filter(new() { HasText = name });
}
