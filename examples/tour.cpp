// A short tour of ember's eager tensors — what `make demo` runs until the
// training demo lands. Each step prints what it does and the result.
#include <ember/ember.h>

#include <cstdio>
#include <iostream>

using namespace ember;

namespace {
void step(const char *what) { std::cout << "\n== " << what << "\n"; }
} // namespace

int main() {
  manual_seed(0);

  step("tensors from C++ values (PyTorch's dtype rules)");
  Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  Tensor i = arange(3);
  std::cout << "a = " << a << "\ni = " << i << "\n";

  step("broadcasting and type promotion: a + i, a * 2, i / 2");
  std::cout << a + i << "\n" << a * 2 << "\n" << i / 2 << "\n";

  step("views share memory: a.t(), a.index({Slice(), 1}), writing through a "
       "view");
  Tensor col = a.index({Slice(), 1});
  std::cout << a.t() << "\n" << col << "\n";
  col.fill_(-1);
  std::cout << "after col.fill_(-1): a = " << a << "\n";

  step("reductions and softmax");
  std::cout << "a.sum(1) = " << a.sum({1}) << "\n";
  auto [values, indices] = a.max(1);
  std::cout << "a.max(1) = " << values << ", " << indices << "\n";
  std::cout << "softmax(a, 1) = " << a.softmax(1) << "\n";

  step("matmul through OpenBLAS, conv2d, pooling");
  Tensor w = randn({3, 2});
  std::cout << "a.matmul(w) = " << a.matmul(w) << "\n";
  Tensor img = rand({1, 1, 4, 4});
  Tensor k = ones({1, 1, 2, 2}) / 4;
  std::cout << "conv2d(img, k) = " << conv2d(img, k) << "\n";
  std::cout << "max_pool2d(img, 2) = " << max_pool2d(img, {2, 2}) << "\n";

  step("indexing, masks, gather");
  Tensor x = arange(10);
  std::cout << "x[x % 2 == 0] = " << x.index({x - (x / 2).floor() * 2 == 0})
            << "\n";
  std::cout << "cat = " << cat({x.narrow(0, 0, 2), x.narrow(0, 8, 2)}) << "\n";

  step(".npy round trip (numpy reads ember's files and vice versa)");
  std::string path = "/tmp/ember-tour.npy";
  save_npy(a, path);
  std::cout << "load_npy(" << path << ") = " << load_npy(path) << "\n";

  step("autograd: gradients of y = sum(w * x^2) by backward()");
  Tensor xs = tensor({1.0, 2.0, 3.0});
  Tensor ws = tensor({0.5, -1.0, 2.0}, requires_grad());
  (ws * xs * xs).sum().backward();
  std::cout << "dy/dw = " << ws.grad() << "\n";

  step("train a small MLP (nn::Sequential, cross-entropy, Adam) on two rings");
  Tensor label = randint(0, 2, {256});
  Tensor radius = label.to(kFloat32) + 1 + randn({256}) * 0.1;
  Tensor angle = rand({256}) * 6.2831853;
  Tensor pts = stack({radius * cos(angle), radius * sin(angle)}, 1);
  nn::Sequential mlp(nn::Linear(2, 32), nn::Tanh(), nn::Linear(32, 2));
  std::cout << mlp << "\n";
  optim::Adam adam(mlp.parameters(), optim::AdamOptions(0.02));
  for (int it = 0; it <= 200; ++it) {
    adam.zero_grad();
    Tensor loss = nn::functional::cross_entropy(mlp.forward(pts), label);
    loss.backward();
    adam.step();
    if (it % 50 == 0)
      std::printf("step %3d  loss %.4f\n", it, loss.item<double>());
  }
  {
    NoGradGuard no_grad;
    double acc = (mlp.forward(pts).argmax(1) == label)
                     .to(kFloat64)
                     .mean()
                     .item<double>();
    std::printf("training accuracy %.1f%%\n", 100 * acc);
  }

  step("clear errors for bad input");
  try {
    Tensor bad = a + ones({4});
  } catch (const Error &e) {
    std::cout << e.what() << "\n";
  }
  std::printf("\nthreads: %d, CUDA available: %s\n", get_num_threads(),
              cuda::is_available() ? "yes" : "no");
  return 0;
}
