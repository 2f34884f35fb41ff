// A short tour of ember's eager tensors (what `make demo` runs for now).
#include <ember/ember.h>

#include <iostream>

int main() {
  using namespace ember;
  Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  Tensor b = arange(3, dtype(kFloat32));
  std::cout << "a = " << a << "\nb = " << b << "\n";
  std::cout << "a + b = " << a + b << "\n";
  std::cout << "a.t() = " << a.t() << "\n";
  std::cout << "relu(a - 3) = " << relu(a - 3) << "\n";
  return 0;
}
