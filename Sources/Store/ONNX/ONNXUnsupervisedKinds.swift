import Diagnostics
import Models
import Numerics

// k-means and PCA: distances to the centres and projections onto the components, on the design.

extension KMeansState: ONNXExpressible {
    /// Each row's squared distance to each centre (rows × clusters); the exporter takes the
    /// nearest as the label (ties to the first) and the distances as scores, as skl2onnx does.
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let k = model.clusterCount, p = model.featureCount
        let rows = features.graph.node("Unsqueeze", [try features.design(), features.graph.axes([1])])  // rows × 1 × features
        // The centres as `KMeans.centres` forms them: the centred centres plus the means.
        let centred = (0 ..< k).flatMap { c in (0 ..< p).map { model.centredCentres[$0 * k + c] } }
        let centres = features.graph.node("Add", [features.graph.weights(centred, shape: [k, p], "centred_centres"),
                                                  features.graph.weights(model.means, shape: [p], "means")])
        let differences = features.graph.node("Sub", [rows, centres])
        return .squaredDistances(features.graph.node("ReduceSumSquare", [differences, features.graph.axes([2])], [.int("keepdims", 0)]), clusters: k)
    }
}

extension PCAState: ONNXExpressible {
    /// (x − mean) × componentsᵀ, as `PCA.transform`.
    func exportONNX(_ features: inout ONNXFeatures) throws -> ONNXPrediction {
        let pca = model, k = pca.componentCount, p = pca.featureCount
        let centred = features.graph.node("Sub", [try features.design(), features.graph.weights(pca.means, shape: [p], "means")])
        let matrix = pca.componentMatrix  // components × features
        let loadings = (0 ..< p).flatMap { j in (0 ..< k).map { matrix[$0, j] } }  // features × components, row-major
        return .components(features.graph.node("MatMul", [centred, features.graph.weights(loadings, shape: [p, k], "loadings")]), count: k)
    }
}
