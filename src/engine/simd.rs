//! Gamma variates eight streams at a time with AVX-512 (four with AVX2): the common case of the scalar sampler, bit for bit, with every other lane handed back to it.
//!
//! A Marsaglia–Tsang variate usually takes two outputs of its stream: one for the standard normal
//! (rand_distr's 256-layer ziggurat, which returns on its first try 98.8% of the time) and one for
//! the uniform of the squeeze test. SplitMix64 is a counter (output k of a stream is
//! `mix64(state + k·γ)`), so eight streams can be advanced side by side in vector registers. This
//! module does exactly that first try, with the same operations in the same order as the scalar
//! code (IEEE results do not depend on vector width), and keeps a lane only when the scalar code
//! would have accepted the same numbers. Every other lane (ziggurat tail or wedge, a failed
//! squeeze, v ≤ 0) is rerun by the scalar sampler from the lane's untouched stream, so the output
//! is the scalar sampler's output whatever the hardware.

use super::rng::{DrawRng, mix64};
use super::sampler::GammaSampler;

/// Which implementation draws the gamma variates of a block; both give identical numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// One stream at a time (any CPU).
    Scalar,
    /// Eight streams at a time (x86-64 with AVX-512 F and DQ).
    Avx512,
    /// Four streams at a time (x86-64 with AVX2).
    Avx2,
}

impl Kernel {
    /// The kernels, the fastest first.
    const ALL: [Kernel; 3] = [Kernel::Avx512, Kernel::Avx2, Kernel::Scalar];

    /// The fastest kernel this CPU supports.
    pub fn detect() -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.available())
            .unwrap_or(Kernel::Scalar)
    }

    /// Every kernel this CPU supports, the fastest first (for tests and benchmarks).
    pub fn supported() -> Vec<Self> {
        Self::ALL.into_iter().filter(|k| k.available()).collect()
    }

    /// Whether this CPU can run the kernel. The vector kernels are checked again at every call
    /// (a cached flag), so that a kernel named by hand on a CPU without it runs the scalar code
    /// instead of an illegal instruction.
    fn available(self) -> bool {
        match self {
            Kernel::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => {
                std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512dq")
            }
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => std::is_x86_feature_detected!("avx2"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }
}

/// `out[k]` = a Gamma variate of `sampler` (its shape ≥ 1 part) from stream `states[k]`, and
/// `states[k]` advanced past what it used: exactly `sampler.sample_large`, lane by lane.
pub fn gamma_block(kernel: Kernel, sampler: &GammaSampler, states: &mut [u64], out: &mut [f64]) {
    let n = states.len().min(out.len());
    let done = match kernel {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the guard checks that the CPU has AVX-512 F and DQ.
        Kernel::Avx512 if kernel.available() => unsafe {
            avx512::gamma_lanes(sampler, &mut states[..n], &mut out[..n])
        },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the guard checks that the CPU has AVX2.
        Kernel::Avx2 if kernel.available() => unsafe {
            avx2::gamma_lanes(sampler, &mut states[..n], &mut out[..n])
        },
        _ => 0,
    };
    for (state, g) in states[done..n].iter_mut().zip(&mut out[done..n]) {
        *g = scalar(sampler, state);
    }
}

/// `words[k] = mix64(words[k])` for every k: the SplitMix64 hash that starts draws and streams.
pub fn mix_block(kernel: Kernel, words: &mut [u64]) {
    match kernel {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the guard checks that the CPU has AVX-512 F and DQ.
        Kernel::Avx512 if kernel.available() => unsafe { avx512::mix_all(words) },
        _ => words.iter_mut().for_each(|w| *w = mix64(*w)),
    }
}

/// Lanes of [`masked_sums`]: independent partial sums that the CPU adds side by side, instead of
/// one chain of dependent additions.
const LANES: usize = 8;

/// `[Σ x·a, Σ x·b]` (a and b: weights of 0 or 1) in [`LANES`] partial sums added up in a fixed
/// order, so that the result depends on the numbers alone: not on the threads, nor on the kernel
/// (the vector code does the same multiplications and additions, eight at a time).
pub fn masked_sums(kernel: Kernel, x: &[f64], a: &[f64], b: &[f64]) -> [f64; 2] {
    match kernel {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the guard checks that the CPU has AVX-512 F and DQ.
        Kernel::Avx512 if kernel.available() => unsafe { avx512::masked_sums(x, a, b) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the guard checks that the CPU has AVX2.
        Kernel::Avx2 if kernel.available() => unsafe { avx2::masked_sums(x, a, b) },
        _ => masked_sums_in_lanes(x, a, b),
    }
}

#[inline(always)]
fn masked_sums_in_lanes(x: &[f64], a: &[f64], b: &[f64]) -> [f64; 2] {
    let mut lanes = [[0.0; LANES]; 2];
    let n = x.len().min(a.len()).min(b.len());
    let whole = n / LANES * LANES;
    for ((x, a), b) in x[..whole]
        .chunks_exact(LANES)
        .zip(a.chunks_exact(LANES))
        .zip(b.chunks_exact(LANES))
    {
        for l in 0..LANES {
            lanes[0][l] += x[l] * a[l];
            lanes[1][l] += x[l] * b[l];
        }
    }
    finish_lanes(lanes, &x[whole..n], &a[whole..n], &b[whole..n])
}

/// The end of [`masked_sums`], the same for both kernels: the draws short of a whole group of
/// lanes go to the first lane, then the lanes are added up in order.
fn finish_lanes(mut lanes: [[f64; LANES]; 2], x: &[f64], a: &[f64], b: &[f64]) -> [f64; 2] {
    for ((x, a), b) in x.iter().zip(a).zip(b) {
        lanes[0][0] += x * a;
        lanes[1][0] += x * b;
    }
    lanes.map(|l| l.iter().sum())
}

/// One variate by the scalar sampler from stream `state`, advancing it.
#[inline]
fn scalar(sampler: &GammaSampler, state: &mut u64) -> f64 {
    let mut rng = DrawRng::from_state(*state);
    let g = sampler.sample_large(&mut rng);
    *state = rng.state();
    g
}

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;

/// fdlibm's `e_log.c` coefficients (Lg1–Lg7) and ln 2 split in two, for the vector logarithms of
/// both kernels.
#[allow(clippy::excessive_precision)] // fdlibm's constants, digit for digit as published
const LN_POLY: [f64; 7] = [
    6.666666666666735130e-01,
    3.999999999940941908e-01,
    2.857142874366239149e-01,
    2.222219843214978396e-01,
    1.818357216161805012e-01,
    1.531383769920937332e-01,
    1.479819860511658591e-01,
];
#[allow(clippy::excessive_precision)]
const LN2_HI: f64 = 6.93147180369123816490e-01;
#[allow(clippy::excessive_precision)]
const LN2_LO: f64 = 1.90821492927058770002e-10;

/// rand_distr 0.6's ziggurat table for the standard normal (`ziggurat_tables.rs`, MIT/Apache-2.0,
/// generated by its `ziggurat_tables.py`): the vector path must use the very same layers.
#[rustfmt::skip]
#[allow(clippy::excessive_precision)] // rand_distr's digits, so the table is recognisably the same
static ZIG_NORM_X: [f64; 257] =
    [3.910757959537090045, 3.654152885361008796, 3.449278298560964462, 3.320244733839166074,
     3.224575052047029100, 3.147889289517149969, 3.083526132001233044, 3.027837791768635434,
     2.978603279880844834, 2.934366867207854224, 2.894121053612348060, 2.857138730872132548,
     2.822877396825325125, 2.790921174000785765, 2.760944005278822555, 2.732685359042827056,
     2.705933656121858100, 2.680514643284522158, 2.656283037575502437, 2.633116393630324570,
     2.610910518487548515, 2.589575986706995181, 2.569035452680536569, 2.549221550323460761,
     2.530075232158516929, 2.511544441625342294, 2.493583041269680667, 2.476149939669143318,
     2.459208374333311298, 2.442725318198956774, 2.426670984935725972, 2.411018413899685520,
     2.395743119780480601, 2.380822795170626005, 2.366237056715818632, 2.351967227377659952,
     2.337996148795031370, 2.324308018869623016, 2.310888250599850036, 2.297723348901329565,
     2.284800802722946056, 2.272108990226823888, 2.259637095172217780, 2.247375032945807760,
     2.235313384928327984, 2.223443340090905718, 2.211756642882544366, 2.200245546609647995,
     2.188902771624720689, 2.177721467738641614, 2.166695180352645966, 2.155817819875063268,
     2.145083634046203613, 2.134487182844320152, 2.124023315687815661, 2.113687150684933957,
     2.103474055713146829, 2.093379631137050279, 2.083399693996551783, 2.073530263516978778,
     2.063767547809956415, 2.054107931648864849, 2.044547965215732788, 2.035084353727808715,
     2.025713947862032960, 2.016433734904371722, 2.007240830558684852, 1.998132471356564244,
     1.989106007615571325, 1.980158896898598364, 1.971288697931769640, 1.962493064942461896,
     1.953769742382734043, 1.945116560006753925, 1.936531428273758904, 1.928012334050718257,
     1.919557336591228847, 1.911164563769282232, 1.902832208548446369, 1.894558525668710081,
     1.886341828534776388, 1.878180486290977669, 1.870072921069236838, 1.862017605397632281,
     1.854013059758148119, 1.846057850283119750, 1.838150586580728607, 1.830289919680666566,
     1.822474540091783224, 1.814703175964167636, 1.806974591348693426, 1.799287584547580199,
     1.791640986550010028, 1.784033659547276329, 1.776464495522344977, 1.768932414909077933,
     1.761436365316706665, 1.753975320315455111, 1.746548278279492994, 1.739154261283669012,
     1.731792314050707216, 1.724461502945775715, 1.717160915015540690, 1.709889657069006086,
     1.702646854797613907, 1.695431651932238548, 1.688243209434858727, 1.681080704722823338,
     1.673943330923760353, 1.666830296159286684, 1.659740822855789499, 1.652674147080648526,
     1.645629517902360339, 1.638606196773111146, 1.631603456932422036, 1.624620582830568427,
     1.617656869570534228, 1.610711622367333673, 1.603784156023583041, 1.596873794420261339,
     1.589979870021648534, 1.583101723393471438, 1.576238702733332886, 1.569390163412534456,
     1.562555467528439657, 1.555733983466554893, 1.548925085471535512, 1.542128153226347553,
     1.535342571438843118, 1.528567729435024614, 1.521803020758293101, 1.515047842773992404,
     1.508301596278571965, 1.501563685112706548, 1.494833515777718391, 1.488110497054654369,
     1.481394039625375747, 1.474683555695025516, 1.467978458615230908, 1.461278162507407830,
     1.454582081885523293, 1.447889631277669675, 1.441200224845798017, 1.434513276002946425,
     1.427828197027290358, 1.421144398672323117, 1.414461289772464658, 1.407778276843371534,
     1.401094763676202559, 1.394410150925071257, 1.387723835686884621, 1.381035211072741964,
     1.374343665770030531, 1.367648583594317957, 1.360949343030101844, 1.354245316759430606,
     1.347535871177359290, 1.340820365893152122, 1.334098153216083604, 1.327368577624624679,
     1.320630975217730096, 1.313884673146868964, 1.307128989027353860, 1.300363230327433728,
     1.293586693733517645, 1.286798664489786415, 1.279998415710333237, 1.273185207661843732,
     1.266358287014688333, 1.259516886060144225, 1.252660221891297887, 1.245787495544997903,
     1.238897891102027415, 1.231990574742445110, 1.225064693752808020, 1.218119375481726552,
     1.211153726239911244, 1.204166830140560140, 1.197157747875585931, 1.190125515422801650,
     1.183069142678760732, 1.175987612011489825, 1.168879876726833800, 1.161744859441574240,
     1.154581450355851802, 1.147388505416733873, 1.140164844363995789, 1.132909248648336975,
     1.125620459211294389, 1.118297174115062909, 1.110938046009249502, 1.103541679420268151,
     1.096106627847603487, 1.088631390649514197, 1.081114409698889389, 1.073554065787871714,
     1.065948674757506653, 1.058296483326006454, 1.050595664586207123, 1.042844313139370538,
     1.035040439828605274, 1.027181966030751292, 1.019266717460529215, 1.011292417434978441,
     1.003256679539591412, 0.995156999629943084, 0.986990747093846266, 0.978755155288937750,
     0.970447311058864615, 0.962064143217605250, 0.953602409875572654, 0.945058684462571130,
     0.936429340280896860, 0.927710533396234771, 0.918898183643734989, 0.909987953490768997,
     0.900975224455174528, 0.891855070726792376, 0.882622229578910122, 0.873271068082494550,
     0.863795545546826915, 0.854189171001560554, 0.844444954902423661, 0.834555354079518752,
     0.824512208745288633, 0.814306670128064347, 0.803929116982664893, 0.793369058833152785,
     0.782615023299588763, 0.771654424216739354, 0.760473406422083165, 0.749056662009581653,
     0.737387211425838629, 0.725446140901303549, 0.713212285182022732, 0.700661841097584448,
     0.687767892786257717, 0.674499822827436479, 0.660822574234205984, 0.646695714884388928,
     0.632072236375024632, 0.616896989996235545, 0.601104617743940417, 0.584616766093722262,
     0.567338257040473026, 0.549151702313026790, 0.529909720646495108, 0.509423329585933393,
     0.487443966121754335, 0.463634336771763245, 0.437518402186662658, 0.408389134588000746,
     0.375121332850465727, 0.335737519180459465, 0.286174591747260509, 0.215241895913273806,
     0.000000000000000000];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::SeedKey;

    #[test]
    fn masked_sums_are_the_same_for_either_kernel_and_close_to_plain_sums() {
        let mut rng = SeedKey::new(5).stream(0, 0);
        for n in [0, 1, 7, 8, 9, 63, 256] {
            let x: Vec<f64> = (0..n)
                .map(|_| 1e5 * (crate::engine::rng::open01(&mut rng) - 0.3))
                .collect();
            let a: Vec<f64> = (0..n)
                .map(|_| f64::from(crate::engine::rng::open01(&mut rng) < 0.7))
                .collect();
            let b: Vec<f64> = a.iter().map(|w| 1.0 - w).collect();
            let sums = masked_sums(Kernel::Scalar, &x, &a, &b);
            for kernel in Kernel::supported() {
                assert_eq!(sums, masked_sums(kernel, &x, &a, &b), "n {n}, {kernel:?}");
            }
            let plain = |w: &[f64]| x.iter().zip(w).map(|(x, w)| x * w).sum::<f64>();
            for (got, want) in sums.into_iter().zip([plain(&a), plain(&b)]) {
                assert!(
                    (got - want).abs() <= 1e-9 * 1e5 * n as f64,
                    "n {n}: {got} {want}"
                );
            }
        }
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn vector_logarithms_are_within_one_ulp_of_libm() {
        let mut rng = SeedKey::new(9).stream(0, 0);
        let mut xs: Vec<f64> = vec![
            1.0,
            2.0,
            0.5,
            core::f64::consts::SQRT_2,
            1e-300,
            1e300,
            1.0 + 1e-15,
            1.0 - 1e-16,
        ];
        xs.extend((0..80_000).map(|i| {
            let u = crate::engine::rng::open01(&mut rng);
            match i % 4 {
                0 => u,
                1 => 1.0 + (u - 0.5) * 0.1,
                2 => (u * 1400.0 - 700.0).exp(),
                _ => u * 8.0,
            }
        }));
        let check = |kernel: &str, chunk: &[f64], got: &[f64]| {
            for (&x, &y) in chunk.iter().zip(got) {
                let want = x.ln();
                let ulp = (want.abs() * f64::EPSILON).max(f64::MIN_POSITIVE);
                assert!(
                    (y - want).abs() <= ulp,
                    "{kernel}: ln({x:e}) = {y:e}, libm {want:e}"
                );
            }
        };
        use core::arch::x86_64::*;
        let kernels = Kernel::supported();
        if kernels.contains(&Kernel::Avx2) {
            for chunk in xs.chunks_exact(4) {
                let mut got = [0.0; 4];
                // SAFETY: AVX2 was detected above.
                unsafe {
                    _mm256_storeu_pd(got.as_mut_ptr(), avx2::ln(_mm256_loadu_pd(chunk.as_ptr())))
                };
                check("AVX2", chunk, &got);
            }
        }
        if kernels.contains(&Kernel::Avx512) {
            for chunk in xs.chunks_exact(8) {
                let mut got = [0.0; 8];
                // SAFETY: AVX-512 was detected above.
                unsafe {
                    _mm512_storeu_pd(
                        got.as_mut_ptr(),
                        avx512::ln(_mm512_loadu_pd(chunk.as_ptr())),
                    )
                };
                check("AVX-512", chunk, &got);
            }
        }
    }

    #[test]
    fn vector_and_scalar_kernels_give_identical_variates_and_streams() {
        // Shapes from 1 (where the squeezes are weakest and v ≤ 0 happens) to very sure rows;
        // 40,003 lanes (whole groups of eight or four and a ragged end), three rounds so states diverge:
        // every path (ziggurat tail and wedge, both squeezes, the logarithm test, rejection) is hit,
        // and every layer of the copied ziggurat table is checked against rand_distr's own sampler.
        let lanes = 40_003;
        let shapes = [1.0, 1.7, 2.0, 3.0, 5.25, 12.0, 85.0, 4000.0, 1e7];
        // Every kernel, those this CPU lacks too: named by hand, they run the scalar code.
        for (kernel, shape) in Kernel::ALL
            .into_iter()
            .flat_map(|kernel| shapes.map(|shape| (kernel, shape)))
        {
            let g = GammaSampler::new(shape);
            let key = SeedKey::new(shape.to_bits());
            let mut fast: Vec<u64> = (0..lanes).map(|d| key.draw(d).stream_state(0)).collect();
            let mut slow = fast.clone();
            let (mut a, mut b) = (vec![0.0; lanes as usize], vec![0.0; lanes as usize]);
            for _ in 0..3 {
                gamma_block(kernel, &g, &mut fast, &mut a);
                gamma_block(Kernel::Scalar, &g, &mut slow, &mut b);
                assert_eq!(fast, slow, "{kernel:?}, shape {shape}: streams");
                assert!(
                    a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()),
                    "{kernel:?}, shape {shape}"
                );
            }
        }
    }

    #[test]
    fn hashing_a_block_is_hashing_each_word() {
        let words: Vec<u64> = (0..1001u64)
            .map(|k| k.wrapping_mul(0x1234_5678_9abc_def1))
            .collect();
        let slow: Vec<u64> = words.iter().map(|&w| mix64(w)).collect();
        for kernel in Kernel::supported() {
            let mut fast = words.clone();
            mix_block(kernel, &mut fast);
            assert_eq!(fast, slow, "{kernel:?}");
        }
    }
}
