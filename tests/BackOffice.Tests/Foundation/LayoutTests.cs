using BackOffice.Tests.Support;
using BackOffice.Web.Layout;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;

namespace BackOffice.Tests.Foundation;

/// <summary>The back-office shell: navigation and the signed-in user's bar.</summary>
public sealed class LayoutTests : ComponentTest
{
    private readonly BunitAuthorizationContext _auth;

    public LayoutTests()
    {
        var auth = _auth = AddAuthorization();
        auth.SetAuthorized("manager@pharmacy.test");
        auth.SetRoles("Manager");
        Services.AddFakeAntiforgery();
    }

    [Fact]
    public void Nav_menu_links_the_dashboard_and_the_till()
    {
        var nav = Render<NavMenu>();

        var dashboard = nav.FindAll("a").Single(a => a.TextContent.Trim() == "Dashboard");
        dashboard.GetAttribute("href").ShouldBe("/");
        var till = nav.FindAll("a").Single(a => a.TextContent.Trim() == "Open the till");
        till.GetAttribute("href").ShouldBe("/till/");
        till.GetAttribute("target").ShouldBe("_blank");
    }

    [Fact]
    public void Main_layout_shows_the_signed_in_user_sign_out_navigation_and_the_page()
    {
        var layout = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page-body\">the page</p>"))));

        layout.Find("[data-testid=signed-in-user]").TextContent.Trim().ShouldBe("manager@pharmacy.test");
        var logout = layout.Find("[data-testid=logout]");
        logout.TextContent.ShouldContain("Sign out");
        var form = logout.Closest("form")!;
        form.GetAttribute("method").ShouldBe("post");
        form.GetAttribute("action").ShouldBe("/account/logout");
        form.QuerySelector("input[name=__RequestVerificationToken]").ShouldNotBeNull();
        layout.Find("[data-testid=nav]").TextContent.ShouldContain("Dashboard");
        layout.Find("#page-body").TextContent.ShouldBe("the page");
        // The page is the document's main landmark (MudMainContent alone is a div); the app name is no heading.
        layout.Find("main #page-body").ShouldNotBeNull();
        layout.FindAll("main").Count.ShouldBe(1);
        layout.FindAll("h1, h2, h3, h4, h5, h6").ShouldBeEmpty();
    }

    [Fact]
    public void Main_layout_shows_no_user_bar_when_nobody_is_signed_in()
    {
        _auth.SetNotAuthorized();
        var layout = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "x"))));
        layout.FindAll("[data-testid=signed-in-user]").ShouldBeEmpty();
        layout.FindAll("[data-testid=logout]").ShouldBeEmpty();
    }
}
