/* Embeds the model graph (ZKB words) named by -DMODEL_FILE into .rodata for graph.c. */
  .section .rodata.zkfp_model
  .balign 4
  .globl zkfp_model
zkfp_model:
  .incbin MODEL_FILE
