using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.TestSupport;

/// <summary>
/// The one web host behind every fake platform (the fake Discord, the fake Slack): Kestrel on a free port of 127.0.0.1
/// (port 0), the routes the fake maps, WebSocket upgrades (no server keep-alive pings: a fake sends only the frames it is
/// told to), the base address, and a bounded shutdown. The fakes keep only their platform's protocol.
/// </summary>
internal sealed class FakeServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeServerHost(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>http://127.0.0.1:{port}/ (ends with a slash, so relative paths append).</summary>
    public Uri BaseUri { get; }

    public int Port => BaseUri.Port;

    /// <summary>Starts Kestrel on 127.0.0.1:0 with the routes <paramref name="mapRoutes"/> maps, and waits until it listens.</summary>
    public static async Task<FakeServerHost> StartAsync(Action<IEndpointRouteBuilder> mapRoutes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        mapRoutes(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeServerHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary><paramref name="path"/> under the base address (no leading slash), as http://….</summary>
    public Uri Http(string path) => new(BaseUri, path);

    /// <summary><paramref name="path"/> under the base address (no leading slash), as ws://….</summary>
    public Uri WebSocket(string path) => new UriBuilder(new Uri(BaseUri, path)) { Scheme = "ws" }.Uri;

    /// <summary>
    /// Stops Kestrel, giving open requests <paramref name="grace"/> (2 s by default) before they are cut; the fake aborts
    /// its WebSockets first, so nothing waits on a client that never closes.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>WebSocket routes for <see cref="FakeServerHost"/>.</summary>
internal static class FakeServerRoutes
{
    /// <summary>
    /// Maps <paramref name="pattern"/> to a WebSocket endpoint: a plain HTTP request gets 400, an upgrade is accepted and
    /// handed to <paramref name="run"/>, which owns the socket until it returns (then the socket is disposed).
    /// </summary>
    public static IEndpointConventionBuilder MapWebSocket(this IEndpointRouteBuilder routes, string pattern, Func<HttpContext, WebSocket, Task> run) =>
        routes.Map(pattern, async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = (int)HttpStatusCode.BadRequest;
                return;
            }

            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            await run(context, ws);
        });
}
