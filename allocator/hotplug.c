/* hotplug.c - memory and cpu hotplug: per-node structures follow nodes online and offline
 * (slab_memory_callback), and a dead cpu's slab goes back to its node (slab_cpuup_callback). */
#include "slub_def.h"

#ifdef CONFIG_NUMA
/*
 * The cache the memory notifier takes kmem_cache_nodes from. The seed made kmalloc_caches an
 * array of pointers and kmem_cache_node its own cache, but left both callbacks naming
 * `kmalloc_caches`: 2.6.36's gnu89 build took the array for a struct kmem_cache with an
 * incompatible-pointer warning, so the callbacks run the slab paths on the array's bytes.
 */
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_SEED_HOTPLUG_KMALLOC_CACHES)
/*
 * Correction: kmem_cache_node, as upstream 8de66a0c022c ("Slub: Fix up missing
 * kmalloc_cache -> kmem_cache_node case for memoryhotplug", 2.6.37) made it.
 */
#define hotplug_node_cache() kmem_cache_node
#else
#define hotplug_node_cache() ((struct kmem_cache *)(void *)kmalloc_caches)
#endif

/* Before memory goes: give back every empty slab so the node can empty. */
static int slab_mem_going_offline_callback(void *arg)
{
	struct kmem_cache *s;

	(void)arg;
	down_read(&slub_lock);
	list_for_each_entry(s, &slab_caches, list)
		kmem_cache_shrink(s);
	up_read(&slub_lock);
	return 0;
}

/* The node's memory is gone (or never came): drop its kmem_cache_node everywhere. */
static void slab_mem_offline_callback(void *arg)
{
	struct memory_notify *marg = arg;
	int offline_node = marg->status_change_nid;
	struct kmem_cache_node *n;
	struct kmem_cache *s;

	if (offline_node < 0)
		return; /* the node keeps some memory, so it keeps its structures */

	down_read(&slub_lock);
	list_for_each_entry(s, &slab_caches, list) {
		slub_watchdog_tick();
		n = get_node(s, offline_node);
		if (n) {
			/* offline_pages only gets here once the node's slabs are all gone. */
			BUG_ON(slabs_node(s, offline_node));
			s->node[offline_node] = NULL;
			kmem_cache_free(hotplug_node_cache(), n);
		}
	}
	up_read(&slub_lock);
}

/*
 * A node gains memory: every cache needs its kmem_cache_node first. The node has no usable
 * memory yet, so these come from other nodes. On failure, MEM_CANCEL_ONLINE undoes it
 * through slab_mem_offline_callback.
 */
static int slab_mem_going_online_callback(void *arg)
{
	struct memory_notify *marg = arg;
	int nid = marg->status_change_nid;
	struct kmem_cache_node *n;
	struct kmem_cache *s;
	int ret = 0;

	if (nid < 0)
		return 0;

	down_read(&slub_lock);
	list_for_each_entry(s, &slab_caches, list) {
		slub_watchdog_tick();
		n = kmem_cache_alloc(hotplug_node_cache(), GFP_KERNEL);
		if (!n) {
			ret = -ENOMEM;
			goto out;
		}
		init_kmem_cache_node(n, s);
		s->node[nid] = n;
	}
out:
	up_read(&slub_lock);
	return ret;
}

int slab_memory_callback(struct notifier_block *self, unsigned long action, void *arg)
{
	int ret = 0;

	(void)self;
	switch (action) {
	case MEM_GOING_ONLINE:
		ret = slab_mem_going_online_callback(arg);
		break;
	case MEM_GOING_OFFLINE:
		ret = slab_mem_going_offline_callback(arg);
		break;
	case MEM_OFFLINE:
#ifndef SLUB_BUG_ONLINE_CANCEL_LEAK
	case MEM_CANCEL_ONLINE:
#endif
		slab_mem_offline_callback(arg);
		break;
	case MEM_ONLINE:
	case MEM_CANCEL_OFFLINE:
		break;
	}
	return ret ? notifier_from_errno(ret) : NOTIFY_OK;
}
#endif

/* A cpu that died (or never came up) leaves its slab: flush it in every cache. */
static int slab_cpuup_callback(struct notifier_block *nfb, unsigned long action, void *hcpu)
{
	int cpu = (int)(long)hcpu;
	struct kmem_cache *s;
	unsigned long flags;

	(void)nfb;
	switch (action) {
	case CPU_UP_CANCELED:
	case CPU_DEAD:
#ifdef SLUB_BUG_CPU_DOWN_NO_FLUSH
		break;
#endif
		down_read(&slub_lock);
		list_for_each_entry(s, &slab_caches, list) {
			slub_watchdog_tick();
			local_irq_save(flags);
			__flush_cpu_slab(s, cpu);
			local_irq_restore(flags);
		}
		up_read(&slub_lock);
		break;
	default:
		break;
	}
	return NOTIFY_OK;
}

__slub_state struct notifier_block slab_notifier = {
	.notifier_call = slab_cpuup_callback,
};

/* Harness entry points: the page allocator runs the memory notifier chain. */
int slub_node_online(int nid)
{
	if (nid < 0 || nid >= nr_node_ids)
		return -EINVAL;
	return pa_online_node(nid);
}

int slub_node_offline(int nid)
{
	if (nid < 0 || nid >= nr_node_ids)
		return -EINVAL;
	return pa_offline_node(nid);
}
