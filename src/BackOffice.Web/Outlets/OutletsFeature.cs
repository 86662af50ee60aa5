using BackOffice.Core.Outlets;

namespace BackOffice.Web.Outlets;

/// <summary>Outlets: the admins' page to make, edit, close and reopen them (rules and queries in Core/Outlets).</summary>
public static class OutletsFeature
{
    public static void AddOutlets(this WebApplicationBuilder builder) => builder.Services.AddScoped<OutletRegistry>();
}
