import type { ReactNode } from 'react';
import { buttonCls, type ButtonKind } from './styles';

export { buttonCls, type ButtonKind } from './styles';

export function Button({ children, onClick, kind = 'secondary', disabled, type = 'button', title }: { children: ReactNode; onClick?: () => void; kind?: ButtonKind; disabled?: boolean; type?: 'button' | 'submit'; title?: string }) {
  return (
    <button type={type} onClick={onClick} disabled={disabled} title={title} className={buttonCls(kind)}>
      {children}
    </button>
  );
}
