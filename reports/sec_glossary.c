/* SPDX-License-Identifier: MIT */
/* Section: the glossary, short and exact definitions of the terms the report uses. */
#include "report.h"

void rp_sec_glossary(struct rp_report *rp)
{
	static const char *const head[] = {"term", "meaning"};
	static const char *const terms[][2] = {
		{"Type-1 hypervisor", "Runs directly on the hardware and is the lowest software "
		 "layer; it schedules the VMs (Xen, VMware ESXi, Hyper-V). KVM is usually counted "
		 "as Type-1: it makes the Linux kernel itself the hypervisor."},
		{"Type-2 hypervisor", "Runs as an application on a host operating system that owns "
		 "the hardware (QEMU with TCG, VirtualBox)."},
		{"Full virtualization", "The guest runs unmodified and need not know it is virtual: "
		 "every sensitive instruction and device access behaves as on real hardware, by "
		 "trapping, binary translation or hardware support."},
		{"Para-virtualization", "The guest is modified to know it is virtual and cooperates: "
		 "it asks the hypervisor by hypercalls and uses devices designed for VMs (virtio) "
		 "instead of doing what would trap (Xen PV, PVM, KVM's para-virtual clock, EOI and "
		 "TLB flush)."},
		{"Binary translation (QEMU TCG)", "The hypervisor rewrites the guest's machine code "
		 "before running it, so sensitive instructions become safe code. QEMU's TCG (Tiny "
		 "Code Generator) translates all guest code, block by block, into host code and "
		 "caches the blocks; CPUID, system calls and page-table walks become code inside "
		 "the QEMU process. It needs no hardware support and can run another architecture."},
		{"Hardware-assisted virtualization (VMX/SVM, KVM)", "CPU extensions (Intel VT-x with "
		 "VMX, AMD-V with SVM) add a guest mode in which the guest kernel runs natively and "
		 "sensitive events cause VM exits; EPT/NPT add nested paging. KVM is the Linux "
		 "module that uses them (/dev/kvm); a user-space program such as QEMU provides the "
		 "devices."},
		{"Hypercall", "A deliberate call from a guest into the hypervisor (VMCALL, VMMCALL), "
		 "as a system call is into a kernel: a para-virtualized guest asks for a service "
		 "instead of doing something that would trap."},
		{"VM exit, VM entry", "A VM exit: the CPU leaves guest mode and hands control to the "
		 "hypervisor, saving the guest's state, because the guest did something the "
		 "hypervisor must handle (CPUID, port or MMIO access to an emulated device, HLT, "
		 "external interrupts). A VM entry resumes the guest. The report counts exits by "
		 "reason."},
		{"Shadow paging, nested paging", "Two ways to virtualize memory. Shadow paging: the "
		 "hypervisor keeps page tables for the CPU that mirror the guest's, and traps the "
		 "guest's page-table writes to keep them in step. Nested paging (EPT, NPT): the CPU "
		 "walks the guest's tables and the hypervisor's in hardware; no traps, but longer "
		 "TLB-miss walks."},
		{"Device model", "The software that emulates a device's registers and behaviour for a "
		 "guest (disk controller, network card, serial port). With KVM it is the QEMU "
		 "process in the host's user space: QEMU plays the role of Xen's Dom0, the "
		 "privileged domain whose user-space programs emulate devices for the other guests. "
		 "Each guest access to an emulated register exits and is handed to it."},
		{"virtio", "A standard para-virtual device interface: the guest driver places "
		 "requests in queues in shared memory (virtqueues) and notifies the device with one "
		 "write (a kick), so a request costs about one exit instead of one per register "
		 "access of an emulated device."},
		{"Namespaces", "A Linux kernel feature giving a group of processes its own view of a "
		 "resource: process IDs, mounts, network, hostname, users, IPC. The isolation of "
		 "containers."},
		{"cgroups", "Control groups: a Linux kernel feature that limits and accounts the CPU, "
		 "memory and I/O a group of processes uses."},
		{"Container vs VM", "A container is a group of ordinary processes on the host's "
		 "kernel, isolated by namespaces and limited by cgroups: no second kernel, no "
		 "emulated hardware, its system calls go straight to the host kernel. A VM runs its "
		 "own kernel on virtual hardware that a hypervisor provides: it costs more, and "
		 "isolates more (a kernel fault stays in the VM)."},
		{"Nested virtualization", "A hypervisor running inside a VM, so its guests (L2) run "
		 "on a guest hypervisor (L1) on the real one (L0). Under VMX/SVM the L0 hypervisor "
		 "emulates the extensions for L1: an L2 exit goes to L0, which passes it to L1, "
		 "whose handling exits to L0 again, so one L2 exit typically costs several. This report's emulated lab is nested: KVM guests in an L1 that "
		 "QEMU emulates with TCG."},
		{"Process VM (the JVM): out of scope", "A process virtual machine such as the Java "
		 "Virtual Machine virtualizes an instruction set (bytecode) for one process on top of "
		 "a host OS: there is no guest operating system, no virtual devices, no second "
		 "kernel. It makes a program portable; it does not virtualize a machine, which is "
		 "what this report measures."},
	};

	rp_doc_heading(&rp->doc, 2, "Glossary");
	rp_doc_table(&rp->doc, 2, head);
	for (size_t i = 0; i < sizeof(terms) / sizeof(terms[0]); i++)
		rp_doc_row(&rp->doc, 2, terms[i], NULL);
	rp_doc_table_end(&rp->doc);
}

