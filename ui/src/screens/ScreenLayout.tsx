import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface ScreenLayoutProps {
  /** The key under `screens.` in the translation files. */
  screen: string;
  children?: ReactNode;
}

/** Heading and "what this screen does" paragraph, shared by every screen. */
export function ScreenLayout({ screen, children }: ScreenLayoutProps) {
  const { t } = useTranslation();
  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen__header">
        <h1 id="screen-title" data-testid="screen-title">
          {t(`screens.${screen}.title`)}
        </h1>
        <p className="screen__intro" data-testid="screen-intro">
          {t(`screens.${screen}.intro`)}
        </p>
      </header>
      {children}
    </section>
  );
}
