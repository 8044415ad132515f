/// The version reported by `/healthz` and `guildhall --version`.
public enum GuildhallVersion {
    public static let current = "0.1.0"
}
