// Python bindings of the PyPI stage step (placeholder until issue 12 fills it).

#include "bindings.h"

namespace relkit::python {

void BindPypiStage(py::module_& /*m*/) {}

}  // namespace relkit::python
