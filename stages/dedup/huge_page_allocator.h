// HugePageAllocator: the allocator of the dedup index's big arrays (the entry
// ring and the key table). Every probe of those arrays lands on a random
// place in hundreds of MB: with 4 KiB pages nearly each one also misses the
// TLB and walks the page table; asking the kernel for transparent huge pages
// (2 MiB, madvise) removes most of those walks. Blocks under 2 MiB use plain
// operator new. Where the kernel has huge pages off, madvise is a no-op.
//
// Thread-safety: stateless, like std::allocator.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace newsd::dedup {

template <class T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHugePage = size_t{2} << 20;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return static_cast<T*>(::operator new(bytes));
    const size_t rounded = (bytes + kHugePage - 1) & ~(kHugePage - 1);
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);
    return static_cast<T*>(p);
  }

  void deallocate(T* p, size_t n) noexcept {
    if (n * sizeof(T) < kHugePage) ::operator delete(p);
    else std::free(p);
  }

  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

}  // namespace newsd::dedup
