#include <ember/ember.h>

#include <iostream>

int main() {
  ember::Tensor a = ember::ones({2, 2}) * 3;
  float v = (a + 1).data_ptr<float>()[3];
  std::cout << "consumer: " << v << "\n";
  return v == 4.0f ? 0 : 1;
}
