// The umbrella header: #include <ember/ember.h>.
#pragma once

#include "ember/autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/gradcheck.h"
#include "ember/autograd/node.h"
#include "ember/dispatch.h"
#include "ember/factory.h"
#include "ember/indexing.h"
#include "ember/npy.h"
#include "ember/ops.h"
#include "ember/print.h"
#include "ember/random.h"
#include "ember/runtime/cuda.h"
#include "ember/runtime/parallel.h"
#include "ember/tensor.h"
