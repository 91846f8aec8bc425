// The events every validation and payment journals, written by hand: `JSONEncoder` costs
// ten times the rest of the line, on the request path. The text is what `JournalJSON.encode`
// writes (keys sorted); `JournalDetailTests` holds the two equal.

extension SessionEvent {
    /// `nil`: no hand-written form (the encoder writes it).
    var writtenJSON: String? {
        var json = JSONText()
        switch self {
        case .created(let key, let reason):
            json.append(raw: #"{"created":{"key":"#)
            json.append(string: key)
            json.append(raw: #","reason":"#)
            switch reason {
            case .noKey: json.append(raw: #"{"noKey":{}}"#)
            case .unknownKey: json.append(raw: #"{"unknownKey":{}}"#)
            case .setUpByScenario: json.append(raw: #"{"setUpByScenario":{}}"#)
            case .keyOf(let status):
                json.append(raw: #"{"keyOf":{"_0":"#)
                json.append(string: status.rawValue)
                json.append(raw: "}}")
            }
            json.append(raw: "}}")
        case .closed(let key, let status):
            json.append(raw: #"{"closed":{"key":"#)
            json.append(string: key)
            json.append(raw: #","status":"#)
            json.append(string: status.rawValue)
            json.append(raw: "}}")
        case .restored:
            return nil
        }
        return json.text
    }
}

extension IntentEvent {
    /// `nil`: no hand-written form (the encoder writes it).
    var writtenJSON: String? {
        var json = JSONText()
        switch self {
        case .created(let id, let amount, let currency):
            json.append(raw: #"{"created":{"amountCents":"# + String(amount) + #","currency":"#)
            json.append(string: currency)
            json.append(raw: #","id":"#)
            json.append(string: id)
            json.append(raw: "}}")
        case .statusChanged(let id, let old, let new):
            json.append(raw: #"{"statusChanged":{"from":"#)
            json.append(string: old.rawValue)
            json.append(raw: #","id":"#)
            json.append(string: id)
            json.append(raw: #","to":"#)
            json.append(string: new.rawValue)
            json.append(raw: "}}")
        case .amountChanged, .declined:
            return nil
        }
        return json.text
    }
}
