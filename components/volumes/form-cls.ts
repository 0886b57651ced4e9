import { buttonCls, fieldCls } from '@/components/ui/styles';

/** Form classes shared by the volume dialogs and panels; fields and buttons take the one style set (components/ui/styles.ts). */
export const formCls = {
  label: fieldCls.label,
  input: `mt-0.5 ${fieldCls.input}`,
  check: 'flex items-center gap-2 text-sm',
  button: buttonCls('secondary'),
  primary: buttonCls('primary'),
  danger: buttonCls('danger'),
  hint: fieldCls.hint,
};
