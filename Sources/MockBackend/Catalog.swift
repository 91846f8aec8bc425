/// A product the shop sells.
public struct Product: Equatable, Sendable {
    public var sku: String
    public var name: String
    public var priceCents: Int64
    public var stock: Int

    public init(sku: String, name: String, priceCents: Int64, stock: Int) {
        self.sku = sku
        self.name = name
        self.priceCents = priceCents
        self.stock = stock
    }
}

/// The small built-in catalog the backend validates carts against.
public struct Catalog: Sendable {
    public var products: [Product]

    public init(products: [Product]) {
        self.products = products
    }

    /// The default shop: coffee things, one of them sold out.
    public static let standard = Catalog(products: [
        Product(sku: "BEANS-1KG", name: "House beans 1 kg", priceCents: 1850, stock: 50),
        Product(sku: "MUG", name: "Enamel mug", priceCents: 900, stock: 20),
        Product(sku: "FILTERS", name: "Paper filters ×100", priceCents: 450, stock: 100),
        Product(sku: "GRINDER", name: "Hand grinder", priceCents: 8900, stock: 3),
        Product(sku: "KETTLE", name: "Gooseneck kettle", priceCents: 5900, stock: 5),
        Product(sku: "POSTER", name: "Limited poster", priceCents: 2500, stock: 0),
    ])

    /// The product with `sku`, if the shop sells it.
    public func product(sku: String) -> Product? {
        products.first { $0.sku == sku }
    }

    /// Shipping is free from €50, else €4.90.
    public static func shipping(forSubtotal subtotal: Int64) -> Int64 {
        subtotal >= 5000 || subtotal == 0 ? 0 : 490
    }
}
