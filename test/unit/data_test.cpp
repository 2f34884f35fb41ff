// ember::data: datasets, random_split, samplers, MNIST/Fashion-MNIST IDX
// reading (small generated files for every corruption case, plus the real
// Fashion-MNIST files when installed) and transforms against torch goldens.
#include "test_util.h"

#include <ember/runtime/file_io.h>

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <unistd.h>

using namespace ember;
using namespace ember::testing;
namespace fs = std::filesystem;
namespace T = ember::data::transforms;
using data::datasets::FashionMNIST;
using data::datasets::MNIST;

namespace {

Tensor golden_data(const std::string &name) { return golden("data", name); }

// ---------------------------------------------------------------- datasets

std::shared_ptr<data::TensorDataset> small_dataset(int64_t n) {
  Tensor x = arange(n * 2, TensorOptions().dtype(kFloat32)).view({n, 2});
  Tensor y = arange(n);
  return std::make_shared<data::TensorDataset>(x, y);
}

TEST(DataDataset, TensorDatasetGet) {
  auto ds = small_dataset(5);
  EXPECT_EQ(ds->size(), 5u);
  data::Example<> e = ds->get(3);
  EXPECT_TRUE(tensors_equal(e.data, tensor({6.f, 7.f})));
  EXPECT_EQ(e.target.item<int64_t>(), 3);
  EXPECT_EMBER_ERROR(ds->get(5), "index 5 is out of range");
  EXPECT_EMBER_ERROR(data::TensorDataset(zeros({3, 2}), zeros({4})),
                     "size mismatch between tensors");
}

TEST(DataDataset, SubsetAndConcat) {
  auto a = small_dataset(3), b = small_dataset(4);
  data::Subset<data::Example<>> s(a, {2, 0});
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.get(0).target.item<int64_t>(), 2);
  EXPECT_EQ(s.get(1).target.item<int64_t>(), 0);
  EXPECT_EMBER_ERROR(data::Subset<data::Example<>>(a, {3}),
                     "index 3 is out of range");
  data::ConcatDataset<data::Example<>> c({a, b});
  EXPECT_EQ(c.size(), 7u);
  EXPECT_EQ(c.cumulative_sizes(), (std::vector<size_t>{3, 7}));
  std::vector<int64_t> got;
  for (size_t i = 0; i < c.size(); ++i)
    got.push_back(c.get(i).target.item<int64_t>());
  EXPECT_EQ(got, (std::vector<int64_t>{0, 1, 2, 0, 1, 2, 3}));
  EXPECT_EMBER_ERROR(c.get(7), "index 7 is out of range");
}

TEST(DataDataset, RandomSplit) {
  auto ds = small_dataset(10);
  Generator g1(123), g2(123);
  auto p1 = data::random_split(ds, {7, 3}, &g1);
  auto p2 = data::random_split(ds, {7, 3}, &g2);
  ASSERT_EQ(p1.size(), 2u);
  EXPECT_EQ(p1[0]->size(), 7u);
  EXPECT_EQ(p1[1]->size(), 3u);
  EXPECT_EQ(p1[0]->indices(), p2[0]->indices());
  std::vector<size_t> all = p1[0]->indices();
  all.insert(all.end(), p1[1]->indices().begin(), p1[1]->indices().end());
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < 10; ++i)
    EXPECT_EQ(all[i], i);
  // The subset's examples are the dataset's examples at those indices.
  EXPECT_EQ(p1[1]->get(0).target.item<int64_t>(),
            static_cast<int64_t>(p1[1]->indices()[0]));
  EXPECT_EMBER_ERROR(data::random_split(ds, {7, 4}, &g1),
                     "sum of input lengths (11) does not equal the length of "
                     "the input dataset (10)");
  auto empty_part = data::random_split(ds, {10, 0}, &g1);
  EXPECT_EQ(empty_part[1]->size(), 0u);
}

// ---------------------------------------------------------------- samplers

bool is_permutation_of_range(std::vector<size_t> v, size_t n) {
  if (v.size() != n)
    return false;
  std::sort(v.begin(), v.end());
  for (size_t i = 0; i < n; ++i)
    if (v[i] != i)
      return false;
  return true;
}

TEST(DataSampler, Sequential) {
  data::SequentialSampler s(4);
  EXPECT_EQ(s.indices(), (std::vector<size_t>{0, 1, 2, 3}));
  EXPECT_EQ(s.size(), 4u);
}

TEST(DataSampler, RandomIsSeededAndCovers) {
  Generator g1(5), g2(5);
  data::RandomSampler a(50, false, std::nullopt, &g1),
      b(50, false, std::nullopt, &g2);
  auto e1 = a.indices(), e2 = a.indices();
  EXPECT_TRUE(is_permutation_of_range(e1, 50));
  EXPECT_TRUE(is_permutation_of_range(e2, 50));
  EXPECT_NE(e1, e2); // a new epoch is a new order
  EXPECT_EQ(b.indices(), e1);
  EXPECT_EQ(b.indices(), e2);
  // num_samples > n without replacement: whole permutations, then a part.
  data::RandomSampler c(4, false, 10, &g1);
  auto ci = c.indices();
  ASSERT_EQ(ci.size(), 10u);
  EXPECT_TRUE(is_permutation_of_range({ci.begin(), ci.begin() + 4}, 4));
  EXPECT_TRUE(is_permutation_of_range({ci.begin() + 4, ci.begin() + 8}, 4));
  // With replacement: in range, reproducible, repeats happen.
  Generator g3(9), g4(9);
  data::RandomSampler r(5, true, 200, &g3), r2(5, true, 200, &g4);
  auto ri = r.indices();
  EXPECT_EQ(ri, r2.indices());
  std::set<size_t> seen(ri.begin(), ri.end());
  EXPECT_EQ(seen, (std::set<size_t>{0, 1, 2, 3, 4}));
  EXPECT_EMBER_ERROR(data::RandomSampler(5, false, 0), "num_samples");
}

TEST(DataSampler, SubsetRandom) {
  Generator g(1);
  data::SubsetRandomSampler s({10, 20, 30, 40}, &g);
  auto i = s.indices();
  std::sort(i.begin(), i.end());
  EXPECT_EQ(i, (std::vector<size_t>{10, 20, 30, 40}));
}

TEST(DataSampler, WeightedWithReplacement) {
  Generator g(3);
  data::WeightedRandomSampler s({1.0, 0.0, 3.0}, 4000, true, &g);
  auto idx = s.indices();
  ASSERT_EQ(idx.size(), 4000u);
  size_t c0 = 0, c2 = 0;
  for (size_t i : idx) {
    EXPECT_NE(i, 1u); // zero weight is never drawn
    c0 += i == 0;
    c2 += i == 2;
  }
  EXPECT_EQ(c0 + c2, 4000u);
  EXPECT_NEAR(static_cast<double>(c2) / 4000, 0.75, 0.03);
  Generator h(3);
  EXPECT_EQ(
      data::WeightedRandomSampler({1.0, 0.0, 3.0}, 4000, true, &h).indices(),
      idx);
}

TEST(DataSampler, WeightedWithoutReplacement) {
  Generator g(4);
  data::WeightedRandomSampler s({0.5, 2.0, 0.0, 1.0, 4.0}, 4, false, &g);
  for (int epoch = 0; epoch < 20; ++epoch) {
    auto idx = s.indices();
    std::sort(idx.begin(), idx.end());
    EXPECT_EQ(idx, (std::vector<size_t>{0, 1, 3, 4}));
  }
  // The heaviest index comes first most often.
  size_t first4 = 0;
  data::WeightedRandomSampler one({1.0, 1.0, 8.0}, 1, false, &g);
  for (int i = 0; i < 1000; ++i)
    first4 += one.indices()[0] == 2;
  EXPECT_NEAR(static_cast<double>(first4) / 1000, 0.8, 0.05);
  EXPECT_EMBER_ERROR(data::WeightedRandomSampler({1.0, 0.0}, 2, false),
                     "cannot draw 2 samples without replacement from 1");
  EXPECT_EMBER_ERROR(data::WeightedRandomSampler({1.0, -1.0}, 1),
                     "weights[1] = -1");
  EXPECT_EMBER_ERROR(data::WeightedRandomSampler({0.0, 0.0}, 1), "sum to zero");
}

TEST(DataSampler, Batch) {
  auto seq = std::make_shared<data::SequentialSampler>(7);
  data::BatchSampler keep(seq, 3, false), drop(seq, 3, true);
  EXPECT_EQ(keep.batches(),
            (std::vector<std::vector<size_t>>{{0, 1, 2}, {3, 4, 5}, {6}}));
  EXPECT_EQ(keep.size(), 3u);
  EXPECT_EQ(drop.batches(),
            (std::vector<std::vector<size_t>>{{0, 1, 2}, {3, 4, 5}}));
  EXPECT_EQ(drop.size(), 2u);
  EXPECT_EMBER_ERROR(data::BatchSampler(seq, 0, false), "batch_size");
  Generator g(2);
  data::BatchSampler rb(
      std::make_shared<data::RandomSampler>(10, false, std::nullopt, &g), 4,
      false);
  std::vector<size_t> flat;
  for (const auto &b : rb.batches())
    flat.insert(flat.end(), b.begin(), b.end());
  EXPECT_TRUE(is_permutation_of_range(flat, 10));
}

// ------------------------------------------------------------------ MNIST

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
          static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string gzip(const std::string &in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS,
                         8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string images_idx(uint32_t n, uint32_t rows, uint32_t cols) {
  std::string s = be32(0x803) + be32(n) + be32(rows) + be32(cols);
  for (uint32_t i = 0; i < n * rows * cols; ++i)
    s.push_back(static_cast<char>(i % 251));
  return s;
}

std::string labels_idx(uint32_t n) {
  std::string s = be32(0x801) + be32(n);
  for (uint32_t i = 0; i < n; ++i)
    s.push_back(static_cast<char>((i * 3) % 10));
  return s;
}

class DataMnistFiles : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("ember_data_test_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  void write(const std::string &name, const std::string &bytes) {
    atomic_write_file("test", (dir / name).string(), bytes);
  }
  void write_good(uint32_t n = 6, bool gz = true) {
    std::string im = images_idx(n, 4, 3), lb = labels_idx(n);
    write(gz ? "train-images-idx3-ubyte.gz" : "train-images-idx3-ubyte",
          gz ? gzip(im) : im);
    write(gz ? "train-labels-idx1-ubyte.gz" : "train-labels-idx1-ubyte",
          gz ? gzip(lb) : lb);
  }
  std::string root() const { return dir.string(); }
  fs::path dir;
};

TEST_F(DataMnistFiles, ReadsGzipAndPlain) {
  for (bool gz : {true, false}) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    write_good(6, gz);
    MNIST ds(root());
    EXPECT_EQ(ds.size(), 6u);
    EXPECT_EQ(ds.images().sizes(), IntArrayRef({6, 4, 3}));
    EXPECT_EQ(ds.images().dtype(), kUInt8);
    EXPECT_EQ(ds.targets().dtype(), kInt64);
    auto e = ds.get(2);
    EXPECT_EQ(e.data.sizes(), IntArrayRef({1, 4, 3}));
    EXPECT_EQ(e.data.dtype(), kUInt8);
    EXPECT_EQ(e.data.flatten()[0].item<uint8_t>(), 24); // 2 * 12
    EXPECT_EQ(e.target.item<int64_t>(), 6);
    EXPECT_EQ(e.target.dim(), 0);
  }
  MNIST with_tf(root(), true, T::ToTensor());
  auto e = with_tf.get(1);
  EXPECT_EQ(e.data.sizes(), IntArrayRef({1, 4, 3}));
  EXPECT_EQ(e.data.dtype(), kFloat32);
  EXPECT_FLOAT_EQ(e.data.flatten()[1].item<float>(), 13.f / 255);
  EXPECT_EMBER_ERROR(with_tf.get(6), "index 6 is out of range");
}

TEST_F(DataMnistFiles, MissingFile) {
  write("train-images-idx3-ubyte.gz", gzip(images_idx(2, 2, 2)));
  EXPECT_EMBER_ERROR(MNIST{root()}, "train-labels-idx1-ubyte.gz");
  EXPECT_EMBER_ERROR(MNIST{root()}, "not found");
  EXPECT_EMBER_ERROR(MNIST(root(), false), "t10k-images-idx3-ubyte.gz");
  EXPECT_EMBER_ERROR(FashionMNIST(root() + "/nowhere"),
                     "ember::data::FashionMNIST: file");
}

TEST_F(DataMnistFiles, BadMagic) {
  write_good();
  std::string lb = labels_idx(6);
  lb[3] = 0x03;
  write("train-labels-idx1-ubyte.gz", gzip(lb));
  EXPECT_EMBER_ERROR(MNIST{root()}, "train-labels-idx1-ubyte.gz': bad magic "
                                    "number 0x803 (expected 0x801");
}

TEST_F(DataMnistFiles, TruncatedData) {
  write_good();
  std::string im = images_idx(6, 4, 3);
  im.resize(im.size() - 5);
  write("train-images-idx3-ubyte.gz", gzip(im));
  EXPECT_EMBER_ERROR(MNIST{root()}, "train-images-idx3-ubyte.gz': truncated: "
                                    "the header's shape [6, 4, 3] needs 72 "
                                    "data bytes but the file has 67");
  write("train-images-idx3-ubyte.gz", gzip(images_idx(6, 4, 3) + "xx"));
  EXPECT_EMBER_ERROR(MNIST{root()}, "trailing data");
  write("train-images-idx3-ubyte.gz", gzip(be32(0x803) + be32(6)));
  EXPECT_EMBER_ERROR(MNIST{root()}, "truncated IDX header");
  write("train-images-idx3-ubyte.gz", gzip("ab"));
  EXPECT_EMBER_ERROR(MNIST{root()}, "truncated IDX file");
}

TEST_F(DataMnistFiles, CountsDisagree) {
  write_good();
  write("train-labels-idx1-ubyte.gz", gzip(labels_idx(5)));
  EXPECT_EMBER_ERROR(MNIST{root()}, "6 images but 5 labels");
}

TEST_F(DataMnistFiles, LabelOutOfRange) {
  write_good();
  std::string lb = labels_idx(6);
  lb[8 + 4] = 12;
  write("train-labels-idx1-ubyte.gz", gzip(lb));
  EXPECT_EMBER_ERROR(MNIST{root()}, "label 12 at index 4 is outside [0, 10)");
}

TEST_F(DataMnistFiles, GzipErrors) {
  write_good();
  std::string gz = gzip(images_idx(6, 4, 3));
  write("train-images-idx3-ubyte.gz", gz.substr(0, gz.size() / 2));
  EXPECT_EMBER_ERROR(MNIST{root()},
                     "train-images-idx3-ubyte.gz': gzip data is truncated");
  std::string bad = gz;
  bad[3] = static_cast<char>(0xff); // reserved header flags
  write("train-images-idx3-ubyte.gz", bad);
  EXPECT_EMBER_ERROR(MNIST{root()}, "corrupt gzip data");
  bad = gz;
  bad[bad.size() - 6] ^= 0x55; // CRC32 of the trailer
  write("train-images-idx3-ubyte.gz", bad);
  EXPECT_EMBER_ERROR(MNIST{root()}, "corrupt gzip data (incorrect data check)");
}

TEST(DataFashionMnist, RealFiles) {
  if (!fs::exists(std::string(FashionMNIST::kDefaultRoot) +
                  "/train-labels-idx1-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  FashionMNIST train;
  FashionMNIST test(FashionMNIST::kDefaultRoot, false);
  EXPECT_EQ(train.size(), 60000u);
  EXPECT_EQ(test.size(), 10000u);
  EXPECT_EQ(train.images().sizes(), IntArrayRef({60000, 28, 28}));
  EXPECT_EQ(train.targets().min().item<int64_t>(), 0);
  EXPECT_EQ(train.targets().max().item<int64_t>(), 9);
  // First labels, read with python's gzip: train 9 0 0 3 0, test 9 2 1 1 6.
  std::vector<int64_t> want_train{9, 0, 0, 3, 0}, want_test{9, 2, 1, 1, 6};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(train.get(i).target.item<int64_t>(), want_train[i]);
    EXPECT_EQ(test.get(i).target.item<int64_t>(), want_test[i]);
  }
  // First image: its byte sum and maximum (python: sum 76247, max 255).
  Tensor img = train.get(0).data;
  EXPECT_EQ(img.sizes(), IntArrayRef({1, 28, 28}));
  EXPECT_EQ(img.to(kInt64).sum().item<int64_t>(), 76247);
  EXPECT_EQ(img.max().item<uint8_t>(), 255);
}

// -------------------------------------------------------------- transforms

TEST(DataTransforms, ToTensorAndNormalize) {
  Tensor hwc = golden_data("hwc"), hw = golden_data("hw");
  EXPECT_TRUE(matches_golden(T::ToTensor()(hwc), golden_data("to_tensor_hwc")));
  EXPECT_TRUE(matches_golden(T::ToTensor()(hw), golden_data("to_tensor_hw")));
  // Non-contiguous input: the HWC image seen through a transposed view.
  Tensor t = hwc.permute({1, 0, 2}).contiguous().permute({1, 0, 2});
  EXPECT_TRUE(matches_golden(T::ToTensor()(t), golden_data("to_tensor_hwc")));
  T::Normalize norm({0.485, 0.456, 0.406}, {0.229, 0.224, 0.225});
  EXPECT_TRUE(
      matches_golden(norm(T::ToTensor()(hwc)), golden_data("normalize")));
  EXPECT_EMBER_ERROR(T::ToTensor()(zeros({2, 2, 2, 2})),
                     "expected an [H, W] or [H, W, C] image");
  EXPECT_EMBER_ERROR(T::Normalize({0.5}, {0.0}), "std[0] evaluated to zero");
  EXPECT_EMBER_ERROR(norm(zeros({2, 4, 4})), "mean has 3 values for an image "
                                             "with 2 channels");
  EXPECT_EMBER_ERROR(norm(zeros({3, 4}, TensorOptions().dtype(kFloat32))),
                     "expected a tensor image");
}

TEST(DataTransforms, FlipCropCompose) {
  Tensor chw = golden_data("to_tensor_hwc");
  Generator g(0);
  EXPECT_TRUE(tensors_equal(T::RandomHorizontalFlip(1.0, &g)(chw),
                            golden_data("flip")));
  EXPECT_TRUE(tensors_equal(T::RandomHorizontalFlip(0.0, &g)(chw), chw));
  // A crop the size of the padded image is the padding alone.
  EXPECT_TRUE(
      tensors_equal(T::RandomCrop({8, 9}, 2, &g)(chw), golden_data("pad2")));
  // Every random crop is a window of the padded image.
  Tensor padded = golden_data("pad2");
  T::RandomCrop crop({4, 5}, 2, &g);
  std::set<std::pair<int64_t, int64_t>> offsets;
  for (int k = 0; k < 60; ++k) {
    Tensor c = crop(chw);
    ASSERT_EQ(c.sizes(), IntArrayRef({3, 4, 5}));
    bool found = false;
    for (int64_t i = 0; i <= 4 && !found; ++i)
      for (int64_t j = 0; j <= 4 && !found; ++j)
        if (tensors_equal(c,
                          padded.narrow(1, i, 4).narrow(2, j, 5).contiguous()))
          found = true, offsets.insert({i, j});
    EXPECT_TRUE(found);
  }
  EXPECT_GT(offsets.size(), 5u);
  EXPECT_EMBER_ERROR(T::RandomCrop({9, 9}, 2, &g)(chw),
                     "required crop size (9, 9) is larger than the input "
                     "image size (8, 9)");
  EXPECT_EQ(T::RandomCrop({6, 6}, 0, &g, true)(chw).sizes(),
            IntArrayRef({3, 6, 6}));
  // uint8 [H, W] images before ToTensor: the same geometry.
  Tensor hw = golden_data("hw");
  EXPECT_TRUE(
      tensors_equal(T::ToTensor()(T::RandomHorizontalFlip(1.0, &g)(hw)),
                    T::RandomHorizontalFlip(1.0, &g)(T::ToTensor()(hw))));
  EXPECT_TRUE(tensors_equal(T::RandomCrop({3, 4}, 0, &g)(hw), hw));
  Tensor hw_padded = T::RandomCrop({5, 6}, 1, &g)(hw);
  EXPECT_EQ(hw_padded.dtype(), kUInt8);
  EXPECT_TRUE(tensors_equal(hw_padded.narrow(0, 1, 3).narrow(1, 1, 4), hw));
  EXPECT_EQ(hw_padded.sum().item<int64_t>(), hw.sum().item<int64_t>());
  // Flipping is reproducible from the seed and happens about p of the time.
  Generator a(11), b(11);
  T::RandomHorizontalFlip fa(0.5, &a), fb(0.5, &b);
  int flips = 0;
  for (int k = 0; k < 200; ++k) {
    Tensor x = fa(chw), y = fb(chw);
    EXPECT_TRUE(tensors_equal(x, y));
    flips += !tensors_equal(x, chw);
  }
  EXPECT_NEAR(flips, 100, 30);
  T::Compose tf({T::ToTensor(),
                 T::Lambda([](const Tensor &x) { return x.mul(2.0); }),
                 T::Normalize({0, 0, 0}, {2, 2, 2})});
  EXPECT_TRUE(matches_golden(tf(golden_data("hwc")), chw));
}

} // namespace
