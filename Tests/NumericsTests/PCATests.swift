import Diagnostics
import Foundation
import Numerics
import XCTest

/// scikit-learn 1.9.1's PCA(svd_solver="full") on standardised iris and wine, from
/// Tests/References/cluster.py pca. Components row by row; scores and reconstructions of the
/// reference rows row by row.
enum PCAReferences {
    // iris standardised: 150 x 4
    static let irisComponents: [Double] = [
        0.5210659146701194, -0.26934744250594306, 0.5804130957962946, 0.5648565357793612,
        0.3774176155645674, 0.9232956595407146, 0.024491609085586532, 0.0669419869680584,
        0.7195663527008167, -0.2443817795143994, -0.1421263693339032, -0.6342727371109231,
        -0.26128627995245335, 0.12350961958551922, 0.8014492463359881, -0.5235971345661908,
    ]
    static let irisSingularValues: [Double] = [
        20.923065561236463, 11.709166098412421, 4.691857983325716, 1.7627323858977804,
    ]
    static let irisVariance: [Double] = [
        2.9380850501999953, 0.9201649041624882, 0.14774182104494799, 0.02085386217646229,
    ]
    static let irisVarianceRatio: [Double] = [
        0.7296244541329986, 0.22850761786701781, 0.03668921889282874, 0.005178709107154801,
    ]
    static let irisScores: [Double] = [
        -2.264702808807588, 0.4800265965209882, 0.12770602230015274, -0.024168203855477844,
        1.1017811830529474, 0.8629724182621586, 0.6845861626897372, -0.03483377552322089,
        1.844568867723029, 0.8704213123248229, -1.0054010176069876, 0.04924974323767774,
        0.960656030037128, -0.024331668169399124, -0.528248806957902, 0.16307803152371664,
    ]
    static let irisReconstructed: [Double] = [
        -0.9988889470607888, 1.0531983826202789, -1.3027065445658996, -1.247098248984214,
        0.8998016123123024, 0.5000167442283207, 0.6606238104655848, 0.6801173906232729,
        1.2896543004663423, 0.30682631259395987, 1.0919299454458113, 1.100184512774857,
        0.4913819127914584, -0.2812155684286048, 0.5569814186840221, 0.5410040269888187,
    ]
    // wine standardised: 178 x 13
    static let wineComponents: [Double] = [
        0.14432939540601145, -0.24518758025722073, -0.0020510614443706187, -0.23932040548753486,
        0.14199204195298748, 0.3946608450666302, 0.42293429671005917, -0.29853310295471536,
        0.31342948830768863, -0.08861670472472258, 0.296714563586381, 0.3761674107387127,
        0.2867522268968052, 0.48365154781721426, 0.22493093462784503, 0.31606881402531517,
        -0.01059050228819137, 0.29963400323786193, 0.06503951181927947, -0.0033598121003078534,
        0.028779488112986744, 0.03930172228973244, 0.529995672070044, -0.27923514792428206,
        -0.1644961928357846, 0.36490283179808225, -0.20738262411635722, 0.08901288565965736,
        0.6262239008693476, 0.6120803499457822, 0.13075693485027906, 0.14617896348467233,
        0.15068189989944827, 0.17036816235964974, 0.14945430946202606, -0.13730621249024255,
        0.08522192250689146, 0.166004588087527, -0.1267459173477012, -0.017856301455504625,
        0.5368902835499786, -0.21417556220576728, 0.0608594144587444, -0.35179658014753223,
        0.19806834790121686, 0.15229479459067344, -0.2033010198902292, 0.3990565328722272,
        0.0659256816439295, -0.427771409391232, 0.1841207427561376, -0.23207086035959468,
        -0.2656636529233708, 0.035213628291347034, -0.1430254737895429, 0.06610294157451252,
        0.7270485147762095, -0.14931840930723184, -0.1090258384004091, -0.5007029831994558,
        0.13685982115483214, -0.07643677955216897, -0.17361452207203723, -0.10116098886385631,
        -0.1578687999045696, 0.2135386480090797, 0.5368138499724344, 0.15447466469938184,
        -0.10082450514462923, 0.038143939910940866, -0.08412229981830166, -0.018920023089813515,
        -0.25859401096859125, -0.5337953885005294, -0.41864414154682744, 0.10598274249092333,
        0.26585107450572093, 0.11972557201255286, -0.05639635803487419, 0.42052390932263023,
        -0.1491706113495052, -0.28696913571381016, 0.3228833026320562, -0.027924975289924325,
        -0.060685214214125226, 0.5954472891508668, 0.37213934573762025, -0.22771214024487177,
        0.2320756413512821, -0.044763700741482906, 0.07680450460250045, 0.39613925845778925,
        0.0658267435952492, -0.170260020873332, 0.42797018288686345, -0.1563614328505764,
        -0.4059340856209074, -0.18724535654700866, -0.23328464922759076, 0.3682267502795788,
        -0.03379691689263568, 0.43662362487712825, -0.0781078923070247, 0.12002266897605968,
        -0.5086191162648702, 0.07528304410108635, 0.3076944452978004, -0.200449313902048,
        -0.2714025722701306, -0.28603452005290186, -0.04957849184869645, -0.19550131947128738,
        0.20914486771259347, -0.05621752276571704, -0.085828394687069, -0.1372269019165681,
        0.5757861074770213, 0.21160472708141934, -0.30907994361417307, -0.027125388629338863,
        0.052799423869673776, 0.06787022282079601, -0.3201313521645127, -0.163150509751004,
        0.21553507026138466, 0.13418390004452357, -0.2907751840107232, -0.5223988869984858,
        0.523705868264322, 0.16211599759001835, -0.22591696213674467, 0.07648553925086386,
        -0.4986914151064672, 0.4793137800675663, 0.0712889146583876, 0.3043411879422815,
        -0.025694093489024152, 0.11689586310384002, -0.23736256534774547, 0.03183879824933638,
        -0.04821200956766553, 0.04642329747041221, 0.5392698276758588, -0.26628645084606034,
        0.12169603538537893, -0.049622373264616375, -0.05574286908688227, 0.06222010539311766,
        -0.303882451132639, -0.04289882871920711, 0.04235218868932519, -0.09555302711823957,
        0.6042216256710418, 0.2592139952822298, 0.6009587206020449, -0.07940162172924307,
        0.014969970638802729, 0.025963746080351263, -0.1412180317516286, 0.0916828545807566,
        0.05677422187890407, -0.4639079139055216, 0.8322570647314009, 0.11403984974032728,
        -0.11691706718619457, -0.011992802469990238, -0.08988884454102404, -0.1567181347299202,
        0.014447336701466074,
    ]
    static let wineSingularValues: [Double] = [
        28.942034224157347, 21.082251410776482, 16.043715611067917, 12.789736448731176,
        12.323741953930575, 10.687139542778032, 9.903688177921575, 7.87607330244501,
        7.170817930113274, 6.6828617996982365, 6.339588146430857, 5.480976354581494,
        4.289670447980049,
    ]
    static let wineVariance: [Double] = [
        4.732436977583588, 2.511080929645124, 1.4542418678464655, 0.9241658668248743,
        0.8580486765371107, 0.6452822124678522, 0.5541414662457829, 0.35046627494625454,
        0.2905120326939775, 0.2523200103608246, 0.2270642817308849, 0.16972373898012114,
        0.1039619918207534,
    ]
    static let wineVarianceRatio: [Double] = [
        0.36198848099926334, 0.1920749025700895, 0.11123630536249976, 0.07069030182714037,
        0.06563293679648602, 0.04935823319222553, 0.042386793226233184, 0.026807489483788707,
        0.022221534047897163, 0.019300190939440777, 0.01736835689989915, 0.012982325756042112,
        0.007952148898994536,
    ]
    static let wineScores: [Double] = [
        3.3167508122147784, 1.4434626343180086, -0.16573904461441824, -0.2156311875590914,
        0.6930428405893475, 0.22388012825935882, 0.5964265458075457, -0.0651390947051253,
        -0.6414427057667725, 1.02095585289663, -0.45156339547843527, 0.5408104138990932,
        -0.06623863088645346, -1.5424801378968818, -1.3814435080942282, -0.8746831124458091,
        -2.8901197461574126, -0.9780083247078585, -0.035011156278991734, 1.0588530200461028,
        -1.075375789685228, -0.2759974023153053, -0.5821572469741845, 0.14849527882805014,
        -0.30281593237265675, -0.10279370953271269, -1.3271016561416011, 0.1703892320490288,
        -1.180013355309487, -1.5017098056744738, 2.305290326188172, 0.15285292873521578,
        -0.8258174328190426, -0.27505122387281106, 0.17401432336367176, -0.027452647284119332,
        -0.5413758122586975, -1.0250783329636894, 0.3422891529788611, -3.208758164198021,
        2.7689195660475736, 1.0139136641131148, 0.5969031860643218, -0.8951925879513949,
        -0.29609218412742566, 0.005741257097528977, 0.2929137342661638, -0.741660422915862,
        -0.11796901888784925, -0.22996433111840595, -0.18878796287917807, -0.3239647204516339,
    ]
    static let wineReconstructed: [Double] = [
        1.176837576743574, -0.48854670652559223, 0.4494306632072307, -0.809053143612015,
        0.903462708120581, 1.4028737834895308, 1.3979179089014504, -0.9486177959721542,
        1.0962980775061604, 0.4711094216118484, 0.5810627675541199, 1.0102094572503308,
        1.4778092843217359, -0.8907625166402549, 0.06746759319455675, -0.43346748970676663,
        0.3837771526914294, -0.6329473530291333, -0.6986049260932371, -0.6477263616962665,
        0.42072414479241316, -0.5377518694598659, -0.5954695735754425, -0.0719287386250029,
        -0.35298856188935124, -0.9464022625586829, -0.10913076386133536, 0.3637146530400181,
        0.05657668953609235, 0.31579799891908855, -0.1373834663272619, -0.512673028630438,
        -0.5618492814066038, 0.4010874902226302, -0.4092562027375966, 0.2079089311553143,
        -0.4413490511527338, -0.5272407737501215, -0.31837384193445134, 0.8760741080574738,
        1.4095633158107221, 0.881750483527042, 0.7385970559672637, 0.3740443303506814,
        -1.0862820318542545, -1.3663969269505367, 1.0376086191261942, -0.896896121680296,
        1.7518649610850574, -1.7252649429599858, -1.662506977196413, 0.09026804151478947,
    ]
}

final class PCATests: XCTestCase {
    typealias Reference = PCAReferences

    static func standardised(_ name: String, dropping dropped: [String]) throws -> Matrix {
        let table = try SampleTable(name)
        let features = table.header.filter { !dropped.contains($0) }
        return Matrix(rows: table.rows.count, columns: features.map(table.standardised))
    }

    static func rows(_ rows: [Int], of x: Matrix) -> Matrix {
        Matrix(rows: rows.count, columns: (0 ..< x.columns).map { f in rows.map { x[$0, f] } })
    }

    /// Row by row, as the references list matrices.
    static func rowMajor(_ m: Matrix) -> [Double] {
        (0 ..< m.rows).flatMap { i in (0 ..< m.columns).map { m[i, $0] } }
    }

    func assertClose(_ actual: [Double], _ expected: [Double], _ accuracy: Double, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            XCTAssertEqual(a, e, accuracy: accuracy, "\(what) [\(i)]", file: file, line: line)
        }
    }

    func assertMatches(_ x: Matrix, rows: [Int], components: [Double], singularValues: [Double], variance: [Double],
                       ratio: [Double], scores: [Double], reconstructed: [Double], countsFor80And95: [Int],
                       accuracy: Double = 1e-10, file: StaticString = #filePath, line: UInt = #line) throws {
        let pca = try PCA(fitting: x)
        assertClose(Self.rowMajor(pca.componentMatrix), components, accuracy, "components", file: file, line: line)
        for (actual, expected) in zip(pca.singularValues, singularValues) { assertRelative(actual, expected, accuracy, "singular value", file: file, line: line) }
        for (actual, expected) in zip(pca.explainedVariance, variance) { assertRelative(actual, expected, accuracy, "variance", file: file, line: line) }
        for (actual, expected) in zip(pca.explainedVarianceRatio, ratio) { assertRelative(actual, expected, accuracy, "ratio", file: file, line: line) }
        let reference = Self.rows(rows, of: x)
        assertClose(Self.rowMajor(try pca.transform(reference)), scores, accuracy, "scores", file: file, line: line)
        XCTAssertEqual(try [0.8, 0.95].map { try PCA(fitting: x, keeping: .varianceRatio($0)).componentCount }, countsFor80And95,
                       file: file, line: line)
        let two = try PCA(fitting: x, keeping: .count(2))
        assertClose(Self.rowMajor(try two.inverseTransform(try two.transform(reference))), reconstructed, accuracy, "reconstructed",
                    file: file, line: line)
    }

    func testIrisMatchesScikitLearn() throws {
        let iris = try Self.standardised("iris", dropping: ["rownames", "Species"])
        try assertMatches(iris, rows: [0, 50, 100, 149], components: Reference.irisComponents, singularValues: Reference.irisSingularValues,
                          variance: Reference.irisVariance, ratio: Reference.irisVarianceRatio, scores: Reference.irisScores,
                          reconstructed: Reference.irisReconstructed, countsFor80And95: [2, 2])
    }

    func testWineMatchesScikitLearn() throws {
        let wine = try Self.standardised("wine", dropping: ["class"])
        try assertMatches(wine, rows: [0, 60, 130, 177], components: Reference.wineComponents, singularValues: Reference.wineSingularValues,
                          variance: Reference.wineVariance, ratio: Reference.wineVarianceRatio, scores: Reference.wineScores,
                          reconstructed: Reference.wineReconstructed, countsFor80And95: [5, 10])
    }

    /// Means in the millions cost no accuracy: the data are centred before the QR and before each
    /// projection. What remains is the rounding of the shifted data themselves, 1e-10 absolute.
    /// (scikit-learn's choice for tall data, `svd_solver="covariance_eigh"`, forms XᵀX − n μμᵀ and
    /// gets the variances of these data wrong by up to 69%.)
    func testLargeMeansCostNoAccuracy() throws {
        let iris = try Self.standardised("iris", dropping: ["rownames", "Species"])
        var shifted = iris
        for f in 0 ..< 4 { for i in 0 ..< 150 { shifted[i, f] += 1e6 * Double(f + 1) } }
        try assertMatches(shifted, rows: [0, 50, 100, 149], components: Reference.irisComponents,
                          singularValues: Reference.irisSingularValues, variance: Reference.irisVariance,
                          ratio: Reference.irisVarianceRatio, scores: Reference.irisScores,
                          reconstructed: zip(Reference.irisReconstructed, [Double](repeating: 0, count: 16).indices).map { $0 + 1e6 * Double($1 % 4 + 1) },
                          countsFor80And95: [2, 2], accuracy: 1e-8)
    }

    /// Fewer rows than features: min(n, p) components, the last with no variance (3 centred rows
    /// span a plane), and all of them reconstruct the rows.
    func testWideData() throws {
        let x = Matrix(rows: 3, columns: [[1, 4, 2], [0, 1, 5], [3, 3, 9], [-2, 0, 1], [7, 1, 1]])
        let pca = try PCA(fitting: x)
        XCTAssertEqual(pca.componentCount, 3)
        XCTAssertLessThan(pca.singularValues[2], 1e-14 * pca.singularValues[0])
        assertClose(Self.rowMajor(try pca.inverseTransform(try pca.transform(x))), Self.rowMajor(x), 1e-13, "reconstructed")
        let c = pca.componentMatrix
        for a in 0 ..< 2 {
            for b in 0 ..< 2 {
                let dot = (0 ..< 5).reduce(0) { $0 + c[a, $1] * c[b, $1] }
                XCTAssertEqual(dot, a == b ? 1 : 0, accuracy: 1e-15)
            }
        }
    }

    func testOneFeature() throws {
        let pca = try PCA(fitting: Matrix(rows: 4, columns: [[1, 2, 3, 4]]))
        XCTAssertEqual(pca.components, [1])
        assertRelative(pca.singularValues[0], 5.0.squareRoot(), 1e-15)
        assertRelative(pca.explainedVariance[0], 5.0 / 3, 1e-15)
        XCTAssertEqual(pca.explainedVarianceRatio, [1])
        XCTAssertEqual(try pca.transform(Matrix(rows: 2, columns: [[1, 4]])).values, [-1.5, 1.5])
    }

    func testCtrlCStopsAFit() throws {
        Interruption.installHandler()
        raise(SIGINT)
        assertThrows(.interrupted, containing: ["interrupted"]) { try PCA(fitting: Matrix(rows: 3, columns: [[1, 2, 4], [0, 1, 0]])) }
        XCTAssertFalse(Interruption.isRequested)
    }

    func testBadOptionsAndDataAreRefused() throws {
        let iris = try Self.standardised("iris", dropping: ["rownames", "Species"])
        assertThrows(.data, containing: ["at least 2 rows"]) { try PCA(fitting: Matrix(rows: 1, columns: [[1], [2]])) }
        assertThrows(.usage, containing: ["between 1 and 4", "got 5"]) { try PCA(fitting: iris, keeping: .count(5)) }
        assertThrows(.usage, containing: ["got 0"]) { try PCA(fitting: iris, keeping: .count(0)) }
        assertThrows(.usage, containing: ["variance share", "got 1.0"]) { try PCA(fitting: iris, keeping: .varianceRatio(1)) }
        assertThrows(.data, containing: ["non-finite", "row 2"]) { try PCA(fitting: Matrix(rows: 3, columns: [[0, .infinity, 1]])) }
        assertThrows(.data, containing: ["variances overflow"]) { try PCA(fitting: Matrix(rows: 2, columns: [[-1e300, 1e300]])) }
        let pca = try PCA(fitting: iris, keeping: .count(2))
        assertThrows(.software, containing: ["3 columns in the data to transform for a model of 4"]) { try pca.transform(Matrix(rows: 1, columns: 3)) }
        assertThrows(.software, containing: ["3 columns in the scores for a model of 2"]) { try pca.inverseTransform(Matrix(rows: 1, columns: 3)) }
    }

    func testStateSurvivesJSONAndValidateRefusesTamperedStates() throws {
        let wine = try Self.standardised("wine", dropping: ["class"])
        let pca = try PCA(fitting: wine, keeping: .varianceRatio(0.8))
        let decoded = try JSONDecoder().decode(PCA.self, from: try JSONEncoder().encode(pca))
        XCTAssertEqual(decoded, pca)
        try decoded.validate(featureCount: 13)
        XCTAssertEqual(try decoded.transform(wine), try pca.transform(wine))

        assertThrows(.data, containing: ["13 features, the data 12"]) { try pca.validate(featureCount: 12) }
        func tampered(_ key: String, _ value: Any) throws -> PCA {
            var object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(pca)) as! [String: Any]
            object[key] = value
            return try JSONDecoder().decode(PCA.self, from: try JSONSerialization.data(withJSONObject: object))
        }
        assertThrows(.data, containing: ["shape"]) { try tampered("components", [1.0]).validate(featureCount: 13) }
        assertThrows(.data, containing: ["shape"]) { try tampered("means", [0.0]).validate(featureCount: 13) }
        assertThrows(.data, containing: ["out of order"]) { try tampered("singularValues", [1.0, 2, 3, 4, 5]).validate(featureCount: 13) }
        assertThrows(.data, containing: ["shape"]) { try tampered("sampleCount", 1).validate(featureCount: 13) }
    }
}
