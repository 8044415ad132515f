import FluentKit
import SQLKit

/// Reads back what the migrations built (tables, indexes, foreign keys) on either engine,
/// so tests can check the schema and not just that the migrations ran.
public struct SchemaInspector: Sendable {
    public struct Index: Hashable, Sendable {
        public let name: String
        public let columns: [String]
        public let unique: Bool
    }

    public struct ForeignKey: Hashable, Sendable {
        public let column: String
        public let referencedTable: String
        public let referencedColumn: String
        /// Normalised to upper case with spaces: `CASCADE`, `RESTRICT`, `NO ACTION`…
        public let onDelete: String

        public init(column: String, referencedTable: String, referencedColumn: String, onDelete: String) {
            self.column = column
            self.referencedTable = referencedTable
            self.referencedColumn = referencedColumn
            self.onDelete = onDelete
        }
    }

    private let sql: any SQLDatabase
    private let isPostgres: Bool

    public init(database: GuildhallDatabase) {
        sql = database.sql
        isPostgres = database.location.isPostgres
    }

    public func tables() async throws -> Set<String> {
        let query: SQLQueryString = isPostgres
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        let rows = try await sql.raw(query).all()
        return Set(try rows.map { try $0.decode(column: "name", as: String.self) })
    }

    public func indexes(on table: String) async throws -> Set<Index> {
        if isPostgres {
            let rows = try await sql.raw("""
                SELECT i.relname AS name, ix.indisunique AS is_unique,
                       array_to_string(array_agg(a.attname ORDER BY k.n), ',') AS columns
                FROM pg_class t
                JOIN pg_index ix ON t.oid = ix.indrelid
                JOIN pg_class i ON i.oid = ix.indexrelid
                JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n) ON true
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                WHERE t.relname = \(bind: table) AND t.relnamespace = current_schema()::regnamespace
                  AND NOT ix.indisprimary
                GROUP BY i.relname, ix.indisunique
                """).all()
            return Set(try rows.map { row in
                Index(
                    name: try row.decode(column: "name", as: String.self),
                    columns: try row.decode(column: "columns", as: String.self).split(separator: ",").map(String.init),
                    unique: try row.decode(column: "is_unique", as: Bool.self)
                )
            })
        }
        let list = try await sql.raw("SELECT name, \"unique\" AS is_unique, origin FROM pragma_index_list(\(bind: table))").all()
        var result = Set<Index>()
        for row in list {
            let name = try row.decode(column: "name", as: String.self)
            if try row.decode(column: "origin", as: String.self) == "pk" { continue }
            let columns = try await sql.raw("SELECT name FROM pragma_index_info(\(bind: name)) ORDER BY seqno").all()
            result.insert(Index(
                name: name,
                columns: try columns.map { try $0.decode(column: "name", as: String.self) },
                unique: try row.decode(column: "is_unique", as: Int.self) == 1
            ))
        }
        return result
    }

    public func foreignKeys(on table: String) async throws -> Set<ForeignKey> {
        if isPostgres {
            let rows = try await sql.raw("""
                SELECT kcu.column_name AS column_name, ccu.table_name AS ref_table,
                       ccu.column_name AS ref_column, rc.delete_rule AS on_delete
                FROM information_schema.table_constraints tc
                JOIN information_schema.key_column_usage kcu
                  ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema
                JOIN information_schema.constraint_column_usage ccu
                  ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
                JOIN information_schema.referential_constraints rc
                  ON rc.constraint_name = tc.constraint_name AND rc.constraint_schema = tc.table_schema
                WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = \(bind: table)
                  AND tc.table_schema = current_schema()
                """).all()
            return Set(try rows.map { row in
                ForeignKey(
                    column: try row.decode(column: "column_name", as: String.self),
                    referencedTable: try row.decode(column: "ref_table", as: String.self),
                    referencedColumn: try row.decode(column: "ref_column", as: String.self),
                    onDelete: try row.decode(column: "on_delete", as: String.self).uppercased()
                )
            })
        }
        let rows = try await sql.raw("SELECT \"from\" AS column_name, \"table\" AS ref_table, \"to\" AS ref_column, on_delete FROM pragma_foreign_key_list(\(bind: table))").all()
        return Set(try rows.map { row in
            ForeignKey(
                column: try row.decode(column: "column_name", as: String.self),
                referencedTable: try row.decode(column: "ref_table", as: String.self),
                referencedColumn: try row.decode(column: "ref_column", as: String.self),
                onDelete: try row.decode(column: "on_delete", as: String.self).uppercased()
            )
        })
    }
}
