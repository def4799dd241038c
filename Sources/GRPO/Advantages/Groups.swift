/// Which samples were drawn from the same prompt: a partition of row indices `0..<count` into groups.
///
/// Groups keep the order of their first row; rows inside a group keep their order.
public struct Groups: Sendable, Equatable {
    /// Row indices of each group.
    public private(set) var members: [[Int]]
    /// The group of each row.
    public private(set) var groupOfRow: [Int]

    /// Consecutive groups of `size` rows (TRL `num_generations`): rows 0..<size, size..<2·size, ...
    public init(count: Int, size: Int) throws(GRPOError) {
        guard size >= 1 else { throw GRPOError("group_size must be at least 1, got \(size)") }
        guard count % size == 0 else {
            throw GRPOError("group_size \(size) does not divide the number of rows \(count)")
        }
        members = stride(from: 0, to: count, by: size).map { Array($0..<($0 + size)) }
        groupOfRow = (0..<count).map { $0 / size }
    }

    /// Groups by equal id (verl's `uid` / `index`), in order of first appearance; sizes may differ.
    public init<ID: Hashable>(ids: [ID]) {
        var slot: [ID: Int] = [:]
        members = []
        groupOfRow = []
        for (row, id) in ids.enumerated() {
            let g: Int
            if let s = slot[id] {
                g = s
            } else {
                g = members.count
                slot[id] = g
                members.append([])
            }
            members[g].append(row)
            groupOfRow.append(g)
        }
    }

    public var count: Int { members.count }
    public var rowCount: Int { groupOfRow.count }
}
