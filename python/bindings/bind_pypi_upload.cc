// Python bindings of the PyPI upload step (placeholder until issue 12 fills it).

#include "bindings.h"

namespace relkit::python {

void BindPypiUpload(py::module_& /*m*/) {}

}  // namespace relkit::python
