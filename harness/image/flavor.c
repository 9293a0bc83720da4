/* SPDX-License-Identifier: MIT */
#include "flavor.h"

/*
 * crc-t10dif and crc64-rocksoft (under sd_mod) only ask for a crypto
 * implementation by alias ("softdep=pre: crct10dif") and fail to load
 * without one: the generic ones are named here, before sd_mod.
 */
/*
 * No workload uses the network: the NIC stays on the machine, as on any
 * guest, but its driver is not loaded. Binding e1000 took 470 ms of a TCG
 * guest's start (life.start, "init: module e1000"), and its watchdog's
 * register reads would add device exits to every counting window.
 */
static const char *const emulated_mods[] = { "ahci", "crct10dif_generic",
					     "crc64_rocksoft_generic", "sd_mod" };
static const char *const virtio_mods[] = { "virtio_pci", "virtio_blk", "virtio_console" };
/*
 * The lab's L1 machine runs KVM on TCG's emulated AMD SVM (TCG has no
 * VMX) and keeps its L2 guests' scratch images on an ext4 work disk;
 * ext4 asks for crc32c only by alias, like sd_mod above.
 */
static const char *const l1_mods[] = { "virtio_pci", "virtio_blk", "virtio_console",
				       "crc32c_generic", "ext4", "kvm_amd" };

#define NMODS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	const char *const *mods;
	size_t nmods;
} flavors[VB_GUEST_NFLAVORS] = {
	[VB_GUEST_EMULATED] = { "emulated", emulated_mods, NMODS(emulated_mods) },
	[VB_GUEST_VIRTIO] = { "virtio", virtio_mods, NMODS(virtio_mods) },
	[VB_GUEST_L1] = { "l1", l1_mods, NMODS(l1_mods) },
};

const char *vb_guest_flavor_name(enum vb_guest_flavor f)
{
	return flavors[f].name;
}

const char *const *vb_guest_flavor_modules(enum vb_guest_flavor f, size_t *n)
{
	*n = flavors[f].nmods;
	return flavors[f].mods;
}
