/* SPDX-License-Identifier: MIT */
/* Names of KVM exit reasons, from arch/x86/include/uapi/asm/{vmx,svm}.h. */
#include "kvm_exits.h"

#include <stdio.h>

static const char *const vmx_names[] = {
	[0] = "exception_nmi", [1] = "external_interrupt", [2] = "triple_fault",
	[3] = "init_signal", [4] = "sipi_signal", [7] = "interrupt_window", [8] = "nmi_window",
	[9] = "task_switch", [10] = "cpuid", [12] = "hlt", [13] = "invd", [14] = "invlpg",
	[15] = "rdpmc", [16] = "rdtsc", [18] = "vmcall", [19] = "vmclear", [20] = "vmlaunch",
	[21] = "vmptrld", [22] = "vmptrst", [23] = "vmread", [24] = "vmresume",
	[25] = "vmwrite", [26] = "vmoff", [27] = "vmon", [28] = "cr_access",
	[29] = "dr_access", [30] = "io_instruction", [31] = "msr_read", [32] = "msr_write",
	[33] = "invalid_state", [34] = "msr_load_fail", [36] = "mwait_instruction",
	[37] = "monitor_trap_flag", [39] = "monitor_instruction", [40] = "pause_instruction",
	[41] = "mce_during_vmentry", [43] = "tpr_below_threshold", [44] = "apic_access",
	[45] = "eoi_induced", [46] = "gdtr_idtr", [47] = "ldtr_tr", [48] = "ept_violation",
	[49] = "ept_misconfig", [50] = "invept", [51] = "rdtscp", [52] = "preemption_timer",
	[53] = "invvpid", [54] = "wbinvd", [55] = "xsetbv", [56] = "apic_write",
	[57] = "rdrand", [58] = "invpcid", [59] = "vmfunc", [60] = "encls", [61] = "rdseed",
	[62] = "pml_full", [63] = "xsaves", [64] = "xrstors", [67] = "umwait", [68] = "tpause",
	[74] = "bus_lock", [75] = "notify", [77] = "tdcall",
};

/* 0x060..0x0a6: the SVM intercepts that are not CR/DR/exception ranges. */
static const char *const svm_names[] = {
	[0x60] = "intr", [0x61] = "nmi", [0x62] = "smi", [0x63] = "init", [0x64] = "vintr",
	[0x65] = "cr0_sel_write", [0x66] = "idtr_read", [0x67] = "gdtr_read",
	[0x68] = "ldtr_read", [0x69] = "tr_read", [0x6a] = "idtr_write",
	[0x6b] = "gdtr_write", [0x6c] = "ldtr_write", [0x6d] = "tr_write", [0x6e] = "rdtsc",
	[0x6f] = "rdpmc", [0x70] = "pushf", [0x71] = "popf", [0x72] = "cpuid", [0x73] = "rsm",
	[0x74] = "iret", [0x75] = "swint", [0x76] = "invd", [0x77] = "pause", [0x78] = "hlt",
	[0x79] = "invlpg", [0x7a] = "invlpga", [0x7b] = "io", [0x7c] = "msr",
	[0x7d] = "task_switch", [0x7e] = "ferr_freeze", [0x7f] = "shutdown",
	[0x80] = "vmrun", [0x81] = "hypercall", [0x82] = "vmload", [0x83] = "vmsave",
	[0x84] = "stgi", [0x85] = "clgi", [0x86] = "skinit", [0x87] = "rdtscp",
	[0x88] = "icebp", [0x89] = "wbinvd", [0x8a] = "monitor", [0x8b] = "mwait",
	[0x8c] = "mwait_cond", [0x8d] = "xsetbv", [0x8e] = "rdpru", [0x8f] = "efer_write_trap",
	[0xa0] = "invpcid", [0xa5] = "bus_lock", [0xa6] = "idle_hlt",
};

static const char *const svm_npf_names[] = {   /* 0x400.. */
	"npf", "avic_incomplete_ipi", "avic_unaccelerated_access", "vmgexit",
};

static const char *const excp_names[32] = {
	[0] = "de", [1] = "db", [2] = "nmi", [3] = "bp", [4] = "of", [5] = "br", [6] = "ud",
	[7] = "nm", [8] = "df", [10] = "ts", [11] = "np", [12] = "ss", [13] = "gp",
	[14] = "pf", [16] = "mf", [17] = "ac", [18] = "mc", [19] = "xm", [29] = "vc",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *svm_name(unsigned r, char *buf, size_t n)
{
	if (r < 0x40) {   /* read/write of CR0-15 and DR0-15 */
		snprintf(buf, n, "svm.%s_%s%u", r & 0x10 ? "write" : "read",
			 r & 0x20 ? "dr" : "cr", r & 0xf);
	} else if (r < 0x60) {
		unsigned v = r - 0x40;

		if (excp_names[v])
			snprintf(buf, n, "svm.excp_%s", excp_names[v]);
		else
			snprintf(buf, n, "svm.excp_%u", v);
	} else if (r < N(svm_names) && svm_names[r]) {
		snprintf(buf, n, "svm.%s", svm_names[r]);
	} else if (r >= 0x90 && r < 0xa0) {
		snprintf(buf, n, "svm.cr%u_write_trap", r & 0xf);
	} else if (r >= 0x400 && r - 0x400 < N(svm_npf_names)) {
		snprintf(buf, n, "svm.%s", svm_npf_names[r - 0x400]);
	} else if (r == 0xffffff) {   /* SVM_EXIT_ERR (-1) as the probe keeps it */
		snprintf(buf, n, "svm.err");
	} else {
		snprintf(buf, n, "svm.0x%x", r);
	}
	return buf;
}

const char *vb_kvm_exit_name(unsigned isa, unsigned reason, char *buf, size_t n)
{
	if (isa == VB_ISA_SVM)
		return svm_name(reason, buf, n);
	if (isa == VB_ISA_VMX) {
		unsigned basic = reason & 0xffff;   /* the high bits are flags */

		if (basic < N(vmx_names) && vmx_names[basic])
			snprintf(buf, n, "vmx.%s", vmx_names[basic]);
		else
			snprintf(buf, n, "vmx.0x%x", basic);
		return buf;
	}
	snprintf(buf, n, "isa%u.0x%x", isa, reason);
	return buf;
}
