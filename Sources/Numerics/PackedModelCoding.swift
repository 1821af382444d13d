/// The Codable forms of the learned states whose arrays grow with the training data, with those
/// arrays packed when long (`PackedArray`); the keys are the properties' names, as the
/// synthesised conformances wrote them, so earlier files read unchanged.

extension DecisionTree: Codable {
    private enum CodingKeys: String, CodingKey {
        case classCount, levelCounts, splitFeatures, leftChildren, thresholds, missingGoesLeft, sampleCounts, impurities, values, leftLevelSets
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(classCount: try container.decode(Int.self, forKey: .classCount),
                  levelCounts: try container.decode([Int?].self, forKey: .levelCounts),
                  splitFeatures: try container.decode(packed: [Int32].self, forKey: .splitFeatures),
                  leftChildren: try container.decode(packed: [Int32].self, forKey: .leftChildren),
                  thresholds: try container.decode(packed: [Double].self, forKey: .thresholds),
                  missingGoesLeft: try container.decode(packed: [Bool].self, forKey: .missingGoesLeft),
                  sampleCounts: try container.decode(packed: [Int32].self, forKey: .sampleCounts),
                  impurities: try container.decode(packed: [Double].self, forKey: .impurities),
                  values: try container.decode(packed: [Double].self, forKey: .values),
                  leftLevelSets: try container.decode([[Int]].self, forKey: .leftLevelSets))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(classCount, forKey: .classCount)
        try container.encode(levelCounts, forKey: .levelCounts)
        try container.encode(packing: splitFeatures, forKey: .splitFeatures)
        try container.encode(packing: leftChildren, forKey: .leftChildren)
        try container.encode(packing: thresholds, forKey: .thresholds)
        try container.encode(packing: missingGoesLeft, forKey: .missingGoesLeft)
        try container.encode(packing: sampleCounts, forKey: .sampleCounts)
        try container.encode(packing: impurities, forKey: .impurities)
        try container.encode(packing: values, forKey: .values)
        try container.encode(leftLevelSets, forKey: .leftLevelSets)
    }
}

extension NearestNeighbours: Codable {
    private enum CodingKeys: String, CodingKey {
        case k, weighting, trainingRows, featureCount, training
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        k = try container.decode(Int.self, forKey: .k)
        weighting = try container.decode(NeighbourWeighting.self, forKey: .weighting)
        trainingRows = try container.decode(Int.self, forKey: .trainingRows)
        featureCount = try container.decode(Int.self, forKey: .featureCount)
        training = try container.decode(packed: [Double].self, forKey: .training)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(k, forKey: .k)
        try container.encode(weighting, forKey: .weighting)
        try container.encode(trainingRows, forKey: .trainingRows)
        try container.encode(featureCount, forKey: .featureCount)
        try container.encode(packing: training, forKey: .training)
    }
}

extension NearestNeighboursClassifier: Codable {
    private enum CodingKeys: String, CodingKey {
        case neighbours, classes, classCount
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        neighbours = try container.decode(NearestNeighbours.self, forKey: .neighbours)
        classes = try container.decode(packed: [Int].self, forKey: .classes)
        classCount = try container.decode(Int.self, forKey: .classCount)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(neighbours, forKey: .neighbours)
        try container.encode(packing: classes, forKey: .classes)
        try container.encode(classCount, forKey: .classCount)
    }
}

extension NearestNeighboursRegressor: Codable {
    private enum CodingKeys: String, CodingKey {
        case neighbours, targets
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        neighbours = try container.decode(NearestNeighbours.self, forKey: .neighbours)
        targets = try container.decode(packed: [Double].self, forKey: .targets)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(neighbours, forKey: .neighbours)
        try container.encode(packing: targets, forKey: .targets)
    }
}
