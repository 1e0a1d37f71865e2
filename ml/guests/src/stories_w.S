/* Embeds the stories260K weights (checkpoint bytes after the 28-byte header, up to rms_final)
   named by -DSTORIES_FILE / -DSTORIES_BYTES into .rodata for stories.c. */
  .section .rodata.zkfp_weights
  .balign 4
  .globl zkfp_weights
zkfp_weights:
  .incbin STORIES_FILE, 28, STORIES_BYTES
