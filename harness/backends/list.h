/* SPDX-License-Identifier: MIT */
/* The one list of backends: X(symbol). Symbol vb_backend_<symbol>. */
#define VB_BACKENDS(X) \
	X(bare) \
	X(container)
