import GuildhallApp

/// The binary's entry point: everything else lives in GuildhallApp, where tests reach it.
@main
enum Entry {
    static func main() async {
        await GuildhallCommand.main()
    }
}
