/// Builds the URL a shard connects to: the gateway (or resume) URL with `v=10&encoding=json`.
public enum GatewayURL {
    public static let apiVersion = 10

    /// `wss://gateway.discord.gg/` → `wss://gateway.discord.gg/?v=10&encoding=json`. A
    /// query already on the URL is replaced: version and encoding must stay the same on
    /// every connection of a session.
    public static func connectionURL(base: String) -> String {
        var base = base
        if let query = base.firstIndex(of: "?") { base = String(base[..<query]) }
        if !base.hasSuffix("/") { base += "/" }
        return base + "?v=\(apiVersion)&encoding=json"
    }
}
