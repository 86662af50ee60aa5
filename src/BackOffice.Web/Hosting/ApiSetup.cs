using BackOffice.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace BackOffice.Web.Hosting;

public static class ApiSetup
{
    /// <summary>
    /// What the API and the hub need from the host, and what several web servers need to act as one: the bearer schemes,
    /// the body reader, Data Protection keys in the database (a cookie signed by one server is read by every other) and,
    /// when `Redis:Configuration` is set, the SignalR Redis backplane (a sale on one server reaches tills on all of them).
    /// The features register their own services and routes.
    /// </summary>
    public static void AddBackOfficeApi(this WebApplicationBuilder builder)
    {
        builder.AddApiAuthentication();
        builder.Services.AddSingleton<ApiBody>();

        builder.Services.AddDataProtection()
            .SetApplicationName("BackOffice")
            .PersistKeysToDbContext<BackOfficeDb>();

        var signalR = builder.Services.AddSignalR();
        if (builder.Configuration["Redis:Configuration"] is { Length: > 0 } redis)
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal("BackOffice"));
    }
}
