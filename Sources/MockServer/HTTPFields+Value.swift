import HTTPTypes

extension HTTPFields {
    /// The value of the field `name`, as `self[name]` reads it (repeated fields joined),
    /// found in one pass. `self[name]` builds a joined sequence for every lookup, and a
    /// request to `serve` makes about ten.
    func value(_ name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            guard found == nil else { return self[name] }
            found = field.value
        }
        return found
    }
}
