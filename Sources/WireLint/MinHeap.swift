/// A binary min-heap of values by a two-part key: the lint's queues of replies due
/// and requests in flight, which a client with thousands in flight would make
/// quadratic as arrays filtered on every request.
struct MinHeap<Value> {
    typealias Key = (Int64, Int64)
    private var items: [(key: Key, value: Value)] = []

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }
    /// The smallest key, if any.
    var minKey: Key? { items.first?.key }
    /// Every value, in no particular order.
    var values: [Value] { items.map(\.value) }

    mutating func push(_ value: Value, key: Key) {
        items.append((key, value))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].key < items[parent].key else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the value with the smallest key.
    mutating func popMin() -> Value? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let smallest = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var next = parent
            if left < items.count, items[left].key < items[next].key { next = left }
            if right < items.count, items[right].key < items[next].key { next = right }
            guard next != parent else { break }
            items.swapAt(parent, next)
            parent = next
        }
        return smallest.value
    }
}
