/** The modloop mark (public/logo.svg, also the favicon as app/icon.svg): the labelling loop around a decision. */
export function LogoMark({ className = "h-6 w-6" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden focusable="false">
      <rect width="32" height="32" rx="8" fill="#4f46e5" />
      <path d="M24.5 12.2A9 9 0 1 0 25 18.5" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" />
      <path d="M25.8 7.6 25 12.9l-5.2-1.2" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
      <path d="m11 16.6 3 3 5-5.4" fill="none" stroke="#a5f3fc" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
