// ember-fashion: train a classifier on Fashion-MNIST — the whole training
// setup in one file: model, optimizer, LR schedule, data loaders with worker
// threads, a train/eval loop with a progress bar, TensorBoard and CSV logs,
// and checkpoints that --resume continues bit for bit.
//
// Training steps are compiled (jit::compile) by default; --no-jit trains
// eagerly.
//
//   ember-fashion                  # CNN, 3 epochs (what `make demo` runs)
//   ember-fashion --model mlp --epochs 5 --lr 1e-3
//   ember-fashion --resume runs/fashion/checkpoint.safetensors --epochs 5
//   tensorboard --logdir runs/fashion
#include "fashion_models.h"

#include <ember/ember.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <tuple>

#if EMBER_FASHION_HAS_COMPILER
#include <ember/jit/package.h>
#endif

using namespace ember;
namespace F = ember::nn::functional;
namespace T = ember::data::transforms;

namespace {

struct Flags {
  std::string model = "cnn";
  int64_t epochs = 3;
  size_t batch_size = 64;
  double lr = 1e-3;
  size_t workers = 1;
  std::string device = "cpu";
  std::string resume;
  std::string logdir = "runs/fashion";
  std::string out = "runs/fashion";
  std::string data = data::datasets::FashionMNIST::kDefaultRoot;
  uint64_t seed = 0;
  int threads = 0;
  int64_t stop_after = 0; // train at most this many epochs in this run
  size_t limit = 0;       // the first N training and test images (quick checks)
  std::string export_dir; // model package + test set for emberc
  std::string score;      // a folder of logits to score, then exit
  // The training step through jit::compile: the default where the compiler
  // is built in (a compiled epoch is faster than an eager one and as
  // accurate: see --help); --no-jit trains eagerly.
  bool jit = EMBER_FASHION_HAS_COMPILER;
};

const char *kUsage = R"(usage: ember-fashion [options]
  --model mlp|cnn     the network (default cnn)
  --epochs N          epochs to train, counting resumed ones (default 3)
  --batch-size N      examples per step (default 64)
  --lr X              Adam's learning rate, cosine-annealed per epoch (1e-3)
  --workers N         data loader threads (default 1)
  --device cpu|cuda   where to train (default cpu)
  --resume PATH       continue from a checkpoint written by this program
  --logdir DIR        TensorBoard event file and metrics.csv (runs/fashion)
  --out DIR           checkpoint.safetensors and model.safetensors (runs/fashion)
  --data DIR          Fashion-MNIST IDX files (Debian's dataset-fashion-mnist)
  --seed N            seed of every random choice (default 0)
  --threads N         compute threads (default: all cores)
  --stop-after N       train at most N epochs in this run (time-limited
                      jobs: --resume continues the same schedule)
  --limit N           use only the first N training and N test images
  --export DIR        after training, write DIR/fashion.emberpkg (the model
                      in eval mode, traced at batch 1000, for emberc) and the
                      test set as DIR/test_images_<k>.npy, DIR/test_labels.npy
  --jit, --no-jit     train with compiled steps (the default in builds with
                      the compiler) or eagerly. Compiled: each training step
                      (zero_grad, forward, backward, Adam step) runs through
                      jit::compile as one function, the backward derived by
                      ember-autodiff, the CNN's dropout mask drawn by
                      compiled Philox at the blocks eager would take (a
                      smaller last batch runs eagerly); the same accuracy as
                      eager, a faster epoch; EMBER_LOG=splits says what stays
                      eager and why, EMBER_DUMP_IR=DIR dumps its IR stages
  --score DIR         print the accuracy of DIR/part<k>/logits.npy (what the
                      emberc executable wrote for test_images_<k>.npy) against
                      DIR/test_labels.npy, and exit
)";

[[noreturn]] void usage_error(const std::string &msg) {
  std::cerr << "ember-fashion: " << msg << "\n" << kUsage;
  std::exit(2);
}

Flags parse(int argc, char **argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (a == "--jit" || a == "--no-jit") {
      f.jit = a == "--jit";
      continue;
    }
    if (i + 1 >= argc)
      usage_error("unknown option or missing value: " + a);
    std::string v = argv[++i];
    try {
      if (a == "--model")
        f.model = v;
      else if (a == "--epochs")
        f.epochs = std::stoll(v);
      else if (a == "--batch-size")
        f.batch_size = std::stoul(v);
      else if (a == "--lr")
        f.lr = std::stod(v);
      else if (a == "--workers")
        f.workers = std::stoul(v);
      else if (a == "--device")
        f.device = v;
      else if (a == "--resume")
        f.resume = v;
      else if (a == "--logdir")
        f.logdir = v;
      else if (a == "--out")
        f.out = v;
      else if (a == "--data")
        f.data = v;
      else if (a == "--seed")
        f.seed = std::stoull(v);
      else if (a == "--threads")
        f.threads = std::stoi(v);
      else if (a == "--stop-after")
        f.stop_after = std::stoll(v);
      else if (a == "--limit")
        f.limit = std::stoul(v);
      else if (a == "--export")
        f.export_dir = v;
      else if (a == "--score")
        f.score = v;
      else
        usage_error("unknown option " + a);
    } catch (const std::logic_error &) {
      usage_error("bad value '" + v + "' for " + a);
    }
  }
  if (f.model != "mlp" && f.model != "cnn")
    usage_error("--model must be mlp or cnn, got " + f.model);
  if (f.device != "cpu" && f.device != "cuda")
    usage_error("--device must be cpu or cuda, got " + f.device);
  if (f.epochs < 1 || f.batch_size < 1 || !(f.lr > 0))
    usage_error("--epochs, --batch-size and --lr must be positive");
  return f;
}

std::shared_ptr<data::Dataset<>> first_n(std::shared_ptr<data::Dataset<>> ds,
                                         size_t n) {
  if (n >= ds->size())
    return ds;
  std::vector<size_t> idx(n);
  for (size_t i = 0; i < n; ++i)
    idx[i] = i;
  return std::make_shared<data::Subset<data::Example<>>>(std::move(ds),
                                                         std::move(idx));
}

// Wall time of each phase of an epoch, printed after it ("time: ..."): where
// an epoch goes, with and without --jit. `trace` is the part of `step` spent
// in calls that traced and compiled a new key (the first call per shape).
struct PhaseTimes {
  double data = 0, step = 0, trace = 0, metrics = 0, eval = 0, logs = 0;
  int64_t trace_calls = 0;
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

struct EvalResult {
  double loss = 0, accuracy = 0;
};

// The test-set loss and accuracy, eagerly: a compiled forward (tried) ran no
// faster (the batch-500 forward is GEMM-bound either way) and cost one more
// compile per run.
EvalResult evaluate(nn::Module &model, data::DataLoader<> &loader,
                    Device device) {
  NoGradGuard no_grad;
  model.eval();
  double loss_sum = 0;
  int64_t correct = 0, seen = 0;
  for (auto &batch : loader) {
    // Pinned batches (pin_memory on CUDA) copy asynchronously; the
    // step's kernels run after them on the same stream.
    Tensor x = batch.data.to(device, /*non_blocking=*/true),
           y = batch.target.to(device, /*non_blocking=*/true);
    Tensor logits = model(x);
    loss_sum += F::cross_entropy(logits, y,
                                 F::CrossEntropyFuncOptions().reduction("sum"))
                    .item<double>();
    correct += logits.argmax(1).eq(y).sum().item<int64_t>();
    seen += y.size(0);
  }
  model.train();
  return {loss_sum / static_cast<double>(seen),
          static_cast<double>(correct) / static_cast<double>(seen)};
}

// The exported package takes this many images per call.
constexpr int64_t kExportBatch = 1000;

// --export: the trained model as a package emberc compiles, the test set in
// batches of kExportBatch as .npy, and the in-process accuracy on them (the
// number the compiled classifier must reproduce).
void export_model(nn::Module &model, data::Dataset<> &test,
                  const std::string &dir) {
#if EMBER_FASHION_HAS_COMPILER
  NoGradGuard no_grad;
  model.eval();
  std::filesystem::create_directories(dir);
  const int64_t n = static_cast<int64_t>(test.size()) / kExportBatch;
  EMBER_CHECK(n > 0, "ember-fashion", "--export needs at least ", kExportBatch,
              " test images, got ", test.size());
  TensorList labels;
  int64_t correct = 0;
  for (int64_t k = 0; k < n; ++k) {
    TensorList images, targets;
    for (int64_t i = 0; i < kExportBatch; ++i) {
      auto ex = test.get(static_cast<size_t>(k * kExportBatch + i));
      images.push_back(ex.data);
      targets.push_back(ex.target);
    }
    Tensor x = stack(images), y = stack(targets);
    if (k == 0) {
      jit::Trace trace = jit::trace(model, {x}, {.name = "fashion_classifier"});
      jit::save(trace, dir + "/fashion.emberpkg",
                jit::PackageOptions()
                    .module(model)
                    .inputs({"images"})
                    .outputs({"logits"}));
    }
    save_npy(x, dir + "/test_images_" + std::to_string(k) + ".npy");
    labels.push_back(y);
    correct += model(x).argmax(1).eq(y).sum().item<int64_t>();
  }
  save_npy(cat(labels), dir + "/test_labels.npy");
  std::printf("exported %s/fashion.emberpkg and %lld test batches; "
              "in-process accuracy %.4f\n",
              dir.c_str(), static_cast<long long>(n),
              static_cast<double>(correct) /
                  static_cast<double>(n * kExportBatch));
  model.train();
#else
  (void)model;
  (void)test;
  EMBER_FAIL("ember-fashion", "--export ", dir,
             ": this build has no compiler (EMBER_ENABLE_COMPILER=OFF)");
#endif
}

// --score: accuracy of the logits the compiled classifier wrote.
int score(const std::string &dir) {
  Tensor labels = load_npy(dir + "/test_labels.npy");
  const int64_t n = labels.size(0) / kExportBatch;
  int64_t correct = 0;
  for (int64_t k = 0; k < n; ++k) {
    Tensor logits = load_npy(dir + "/part" + std::to_string(k) + "/logits.npy");
    Tensor y = labels.narrow(0, k * kExportBatch, kExportBatch);
    EMBER_CHECK(logits.dim() == 2 && logits.size(0) == kExportBatch,
                "ember-fashion", "--score: ", dir, "/part", k,
                "/logits.npy has shape ", logits.sizes(), ", expected [",
                kExportBatch, ", 10]");
    correct += logits.argmax(1).eq(y).sum().item<int64_t>();
  }
  std::printf("compiled classifier accuracy %.4f on %lld test images\n",
              static_cast<double>(correct) /
                  static_cast<double>(n * kExportBatch),
              static_cast<long long>(n * kExportBatch));
  return 0;
}

int run(const Flags &flags) {
  if (!flags.score.empty())
    return score(flags.score);
  auto t_start = std::chrono::steady_clock::now();
  if (flags.threads > 0)
    set_num_threads(flags.threads);
  manual_seed(flags.seed);
  Device device = flags.device == "cuda" ? Device(kCUDA, 0) : Device(kCPU);
  if (device.is_cuda() && !cuda::is_available()) {
    std::cerr << "ember-fashion: --device cuda: no CUDA device is available"
              << (cuda::is_built() ? "" : " (this build has no CUDA)") << "\n";
    return 1;
  }

  // Data: ToTensor + Normalize with the training set's mean and std.
  T::Compose tf({T::ToTensor(), T::Normalize({0.2860}, {0.3530})});
  std::shared_ptr<data::Dataset<>> train =
      std::make_shared<data::datasets::FashionMNIST>(flags.data, true, tf);
  std::shared_ptr<data::Dataset<>> test =
      std::make_shared<data::datasets::FashionMNIST>(flags.data, false, tf);
  if (flags.limit > 0) {
    train = first_n(train, flags.limit);
    test = first_n(test, flags.limit);
  }
  Generator loader_gen(flags.seed + 1);
  data::DataLoader<> train_loader(train,
                                  {.batch_size = flags.batch_size,
                                   .shuffle = true,
                                   .num_workers = flags.workers,
                                   .pin_memory = device.is_cuda(),
                                   .persistent_workers = flags.workers > 0,
                                   .generator = &loader_gen});
  data::DataLoader<> test_loader(
      test, {.batch_size = 500, .num_workers = flags.workers});

  std::shared_ptr<nn::Module> model =
      flags.model == "cnn" ? fashion::make_cnn() : fashion::make_mlp();
  model->to(device);
  optim::Adam optimizer(model->parameters(), optim::AdamOptions(flags.lr));
  optim::lr_scheduler::CosineAnnealingLR scheduler(optimizer, flags.epochs);

  int64_t start_epoch = 0;
  if (!flags.resume.empty()) {
    Checkpoint ck = load_checkpoint(flags.resume);
    EMBER_CHECK(ck.extra.count("model") && ck.extra.at("model") == flags.model,
                "ember-fashion", "'", flags.resume, "' holds a ",
                ck.extra.count("model") ? ck.extra.at("model") : "unknown",
                " model, not a ", flags.model);
    model->load_state_dict(ck.model);
    optimizer.load_state_dict(*ck.optimizer);
    scheduler.load_state_dict(*ck.scheduler);
    loader_gen.set_state({std::stoull(ck.extra.at("loader_seed")),
                          std::stoull(ck.extra.at("loader_offset"))});
    if (ck.rng_state)
      default_generator().set_state(*ck.rng_state);
    start_epoch = ck.epoch;
    std::cout << "resumed from " << flags.resume << " after epoch "
              << start_epoch << "\n";
  }

  std::filesystem::create_directories(flags.out);
  SummaryWriter tb(flags.logdir);
  CSVLogger csv(flags.logdir + "/metrics.csv");
  tb.add_text("config",
              detail::str_cat("model=", flags.model, " epochs=", flags.epochs,
                              " batch_size=", flags.batch_size,
                              " lr=", flags.lr, " workers=", flags.workers,
                              " seed=", flags.seed),
              start_epoch);
  std::cout << *model << "\n"
            << train->size() << " training / " << test->size()
            << " test images, " << train_loader.size() << " steps per epoch, "
            << get_num_threads() << " compute threads, " << flags.workers
            << " loader workers\n";

  // One training step; with --jit it runs through jit::compile (the
  // learning rate the scheduler sets reaches the compiled step each call).
  auto train_step = [&](const Tensor &x, const Tensor &y) {
    optimizer.zero_grad();
    Tensor logits = (*model)(x);
    Tensor loss = F::cross_entropy(logits, y);
    loss.backward();
    optimizer.step();
    return std::pair{loss.detach(), logits.detach()};
  };
  auto compiled_step = jit::compile(
      [&](const Tensor &x, const Tensor &y) {
        auto [loss, logits] = train_step(x, y);
        return TensorList{loss, logits};
      },
      {.name = "train_step", .modules = {{"", model.get()}}});
  auto batch_full = [&](const Tensor &y) {
    return y.size(0) == static_cast<int64_t>(flags.batch_size);
  };
  int64_t tail_steps = 0; // --jit: smaller last batches run eagerly
  EvalResult result;
  int64_t step = start_epoch * static_cast<int64_t>(train_loader.size());
  int64_t end_epoch = flags.epochs;
  if (flags.stop_after > 0)
    end_epoch = std::min(end_epoch, start_epoch + flags.stop_after);
  for (int64_t epoch = start_epoch; epoch < end_epoch; ++epoch) {
    ProgressBar bar(
        static_cast<int64_t>(train_loader.size()),
        {.desc = detail::str_cat("epoch ", epoch + 1, "/", flags.epochs),
         .unit = "batch"});
    double run_loss = 0;
    int64_t run_correct = 0, run_seen = 0;
    PhaseTimes times;
    const auto t_epoch = std::chrono::steady_clock::now();
    auto t_mark = t_epoch; // the end of the previous step's work
    for (auto &batch : train_loader) {
      times.data += seconds_since(t_mark);
      Tensor x = batch.data.to(device, /*non_blocking=*/true),
             y = batch.target.to(device, /*non_blocking=*/true);
      Tensor loss, logits;
      const auto t_step = std::chrono::steady_clock::now();
      // A last, smaller batch runs eagerly: compiling a step for its shape
      // (seconds on a cold cache) would cost more than the one step saves.
      if (flags.jit && batch_full(y)) {
        const int64_t traces = compiled_step.stats().traces;
        TensorList out = compiled_step(x, y);
        loss = out[0];
        logits = out[1];
        if (compiled_step.stats().traces != traces) {
          times.trace += seconds_since(t_step);
          ++times.trace_calls;
        }
      } else {
        tail_steps += flags.jit;
        std::tie(loss, logits) = train_step(x, y);
      }
      times.step += seconds_since(t_step);

      const auto t_metrics = std::chrono::steady_clock::now();
      double l = loss.item<double>();
      run_loss += l * static_cast<double>(y.size(0));
      run_correct += logits.argmax(1).eq(y).sum().item<int64_t>();
      run_seen += y.size(0);
      if (step % 50 == 0)
        tb.add_scalar("loss/train_step", l, step);
      ++step;
      bar.set_postfix({{"loss", run_loss / static_cast<double>(run_seen)},
                       {"acc", static_cast<double>(run_correct) /
                                   static_cast<double>(run_seen)}});
      bar.update();
      t_mark = std::chrono::steady_clock::now();
      times.metrics +=
          std::chrono::duration<double>(t_mark - t_metrics).count();
    }
    bar.close();
    double lr = scheduler.get_last_lr()[0];
    scheduler.step();

    auto t_eval = std::chrono::steady_clock::now();
    result = evaluate(*model, test_loader, device);
    times.eval = seconds_since(t_eval);
    if (flags.jit) {
      const jit::CompileStats &st = compiled_step.stats();
      std::cout << "jit: " << st.compiled_calls << " of " << st.calls
                << " steps so far ran compiled code (" << st.compiles
                << " compiled keys, " << st.fallbacks << " eager keys"
                << (st.fallbacks ? "; EMBER_LOG=splits says why" : "") << "; "
                << tail_steps << " smaller last batches eagerly)\n";
    }
    auto t_logs = std::chrono::steady_clock::now();
    double train_loss = run_loss / static_cast<double>(run_seen);
    double train_acc =
        static_cast<double>(run_correct) / static_cast<double>(run_seen);
    std::printf("epoch %lld: train loss %.4f acc %.4f | test loss %.4f acc "
                "%.4f | lr %.2e\n",
                static_cast<long long>(epoch + 1), train_loss, train_acc,
                result.loss, result.accuracy, lr);
    std::fflush(stdout);
    tb.add_scalar("loss/train", train_loss, epoch + 1);
    tb.add_scalar("loss/test", result.loss, epoch + 1);
    tb.add_scalar("accuracy/train", train_acc, epoch + 1);
    tb.add_scalar("accuracy/test", result.accuracy, epoch + 1);
    tb.add_scalar("lr", lr, epoch + 1);
    for (const auto &item : model->named_parameters())
      tb.add_histogram(item.key(), item.value(), epoch + 1);
    tb.flush();
    csv.log(epoch + 1, {{"train_loss", train_loss},
                        {"train_acc", train_acc},
                        {"test_loss", result.loss},
                        {"test_acc", result.accuracy},
                        {"lr", lr}});

    Checkpoint ck;
    ck.model = model->state_dict();
    ck.optimizer = optimizer.state_dict();
    ck.scheduler = scheduler.state_dict();
    ck.epoch = epoch + 1;
    ck.rng_state = default_generator().get_state();
    auto [ls, lo] = loader_gen.get_state();
    ck.extra = {{"model", flags.model},
                {"loader_seed", std::to_string(ls)},
                {"loader_offset", std::to_string(lo)},
                {"test_accuracy", std::to_string(result.accuracy)}};
    save_checkpoint(flags.out + "/checkpoint.safetensors", ck);
    save(model->state_dict(), flags.out + "/model.safetensors");
    times.logs = seconds_since(t_logs);
    std::printf("time: epoch %.1f s = data %.1f + step %.1f (trace+compile "
                "%.1f in %lld calls) + metrics %.1f + eval %.1f + logs %.1f\n",
                seconds_since(t_epoch), times.data, times.step, times.trace,
                static_cast<long long>(times.trace_calls), times.metrics,
                times.eval, times.logs);
    std::fflush(stdout);
  }
  if (start_epoch >= end_epoch) // nothing left to train: report
    result = evaluate(*model, test_loader, device);
  tb.close();
  if (!flags.export_dir.empty())
    export_model(*model, *test, flags.export_dir);

  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start)
          .count();
  std::printf("test accuracy %.4f (%s, %lld epochs) in %.1f s; logs in %s, "
              "checkpoint in %s/checkpoint.safetensors\n",
              result.accuracy, flags.model.c_str(),
              static_cast<long long>(flags.epochs), secs, flags.logdir.c_str(),
              flags.out.c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Flags flags = parse(argc, argv);
  try {
    return run(flags);
  } catch (const std::exception &e) {
    std::cerr << "ember-fashion: " << e.what() << "\n";
    return 1;
  }
}
