#include "zkio.h"
struct node { struct node *next; uint32_t v; };
static struct node pool[1000];
int main(void) {
  struct node *head = 0;
  for (uint32_t i = 0; i < 1000; i++) { pool[i].v = i * 2654435761u; pool[i].next = head; head = &pool[i]; }
  struct node *prev = 0; while (head) { struct node *n = head->next; head->next = prev; prev = head; head = n; }
  uint32_t h = 0; for (struct node *p = prev; p; p = p->next) h = (h ^ p->v) * 16777619u;
  zk_puts("list "); zk_put_hex(h); zk_puts("\n"); return 0;
}
