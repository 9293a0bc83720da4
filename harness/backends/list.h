/* SPDX-License-Identifier: MIT */
/* The one list of backends: X(symbol). Symbol vb_backend_<symbol>. */
#define VB_BACKENDS(X) \
	X(bare) \
	X(type1) \
	X(paravirt) \
	X(type2) \
	X(type2_pv)
