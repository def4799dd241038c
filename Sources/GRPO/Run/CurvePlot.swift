/// A hand-written SVG of training curves: one small panel per series (step on x), no dependencies. A panel holds
/// one curve, or several overlaid in distinct colours with a legend (runs of an ablation).
public struct CurvePlot: Sendable {
    /// One panel: a title and its curves, each a label (empty for a lone curve) and (step, value) points.
    public struct Series: Sendable {
        public var title: String
        public var curves: [(label: String, points: [(x: Double, y: Double)])]
        public init(title: String, points: [(x: Double, y: Double)]) {
            self.init(title: title, curves: [("", points)])
        }
        public init(title: String, curves: [(label: String, points: [(x: Double, y: Double)])]) {
            self.title = title
            self.curves = curves
        }
        /// All finite points of all curves.
        var finitePoints: [(x: Double, y: Double)] { Self.finite(curves.flatMap(\.points)) }

        /// The points whose coordinates are both finite (NaN and infinities are not drawn).
        static func finite(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
            points.filter { $0.x.isFinite && $0.y.isFinite }
        }
    }

    /// Line colours, in order of the curves (matplotlib's tab10).
    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    public var series: [Series]
    public var title: String
    /// Panel size in SVG user units.
    public var panelWidth = 320.0
    public var panelHeight = 180.0
    public var columns = 3

    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    /// The SVG document. Non-finite points are skipped; a panel with no points says "no data".
    public var svg: String {
        let rows = max(1, (series.count + columns - 1) / columns)
        let width = panelWidth * Double(columns)
        let height = panelHeight * Double(rows) + 30
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" \
            viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="10" y="20" font-size="14">\(escape(title))</text>

            """
        for (i, one) in series.enumerated() {
            let ox = panelWidth * Double(i % columns)
            let oy = 30 + panelHeight * Double(i / columns)
            s += panel(one, ox: ox, oy: oy)
        }
        return s + "</svg>\n"
    }

    func panel(_ one: Series, ox: Double, oy: Double) -> String {
        let left = ox + 50, right = ox + panelWidth - 12, top = oy + 22, bottom = oy + panelHeight - 28
        var s = "<text x=\"\(fmt(ox + 50))\" y=\"\(fmt(oy + 14))\">\(escape(one.title))</text>\n"
        s += "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(right - left))\" height=\"\(fmt(bottom - top))\" "
        s += "fill=\"none\" stroke=\"#999\"/>\n"
        let pts = one.finitePoints
        guard let x0 = pts.map(\.x).min(), let x1 = pts.map(\.x).max(), let y0 = pts.map(\.y).min(),
            let y1 = pts.map(\.y).max()
        else {
            return s + "<text x=\"\(fmt(left + 8))\" y=\"\(fmt((top + bottom) / 2))\">no data</text>\n"
        }
        let (ylo, yhi) = y1 > y0 ? (y0, y1) : (y0 - 0.5, y0 + 0.5)
        let xspan = x1 > x0 ? x1 - x0 : 1
        func px(_ x: Double) -> Double { left + (x - x0) / xspan * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - ylo) / (yhi - ylo) * (bottom - top) }
        s += "<text x=\"\(fmt(ox + 4))\" y=\"\(fmt(top + 8))\">\(label(yhi))</text>\n"
        s += "<text x=\"\(fmt(ox + 4))\" y=\"\(fmt(bottom))\">\(label(ylo))</text>\n"
        s += "<text x=\"\(fmt(left))\" y=\"\(fmt(bottom + 14))\">\(label(x0))</text>\n"
        s += "<text x=\"\(fmt(right))\" y=\"\(fmt(bottom + 14))\" text-anchor=\"end\">\(label(x1))</text>\n"
        for (i, curve) in one.curves.enumerated() {
            let color = Self.colors[i % Self.colors.count]
            let path = Series.finite(curve.points).map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
            if !curve.label.isEmpty {
                s += "<text x=\"\(fmt(left + 6))\" y=\"\(fmt(top + 12 + 12 * Double(i)))\" fill=\"\(color)\">"
                s += "\(escape(curve.label))</text>\n"
            }
        }
        return s
    }

    func fmt(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        let a = abs(v)
        if a >= 0.01 && a < 1e4 { return String((v * 1000).rounded() / 1000) }
        return String(v)
    }

    func escape(_ s: String) -> String {
        s.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }
}
