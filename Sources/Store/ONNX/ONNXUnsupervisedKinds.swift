import Diagnostics
import Models
import Numerics

// k-means and PCA: distances to the centres and projections onto the components, on the design.

extension KMeansState: ONNXExpressible {
    /// Each row's squared distance to each centre (rows × clusters); the exporter takes the
    /// nearest as the label (ties to the first) and the distances as scores, as skl2onnx does.
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let centres = model.centres, k = model.clusterCount, p = model.featureCount
        let rows = features.graph.node("Unsqueeze", [try features.design(), features.graph.axes([1])])  // rows × 1 × features
        let centreValues = (0 ..< k).flatMap { c in (0 ..< p).map { centres[c, $0] } }
        let differences = features.graph.node("Sub", [rows, features.graph.reals(centreValues, shape: [k, p], "centres")])
        return .squaredDistances(features.graph.node("ReduceSumSquare", [differences, features.graph.axes([2])], [.int("keepdims", 0)]), clusters: k)
    }
}

extension PCAState: ONNXExpressible {
    /// (x − mean) × componentsᵀ, as `PCA.transform`.
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let pca = model, k = pca.componentCount, p = pca.featureCount
        let centred = features.graph.node("Sub", [try features.design(), features.graph.reals(pca.means, shape: [p], "means")])
        let matrix = pca.componentMatrix  // components × features
        let loadings = (0 ..< p).flatMap { j in (0 ..< k).map { matrix[$0, j] } }  // features × components, row-major
        return .components(features.graph.node("MatMul", [centred, features.graph.reals(loadings, shape: [p, k], "loadings")]), count: k)
    }
}
