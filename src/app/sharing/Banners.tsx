/** Messages about the learner's work: a link that could not be opened, storage that cannot save. */
import { useTranslation } from 'react-i18next';
import { select, useActions, useApp } from '../store';

export function ShareBanners() {
  const { t } = useTranslation();
  const linkError = useApp(select.linkError);
  const storage = useApp(select.storageProblem);
  const actions = useActions();
  return (
    <>
      {linkError && (
        <div className="knp-notice notice-failure" role="alert" data-testid="link-error" data-code={linkError.code}>
          <span>
            {t(`share.linkError.${linkError.code in LINK_CODES ? linkError.code : 'corrupt'}`)}
          </span>
          <button type="button" className="knp-btn" onClick={() => actions.setLinkError(null)}>{t('engine.dismiss')}</button>
        </div>
      )}
      {storage && (
        <div className="knp-notice" role="status" data-testid="storage-problem" data-problem={storage}>
          <span>{t(`share.storage.${storage}`)}</span>
          <button type="button" className="knp-btn" onClick={() => actions.setStorageProblem(null)}>{t('engine.dismiss')}</button>
        </div>
      )}
    </>
  );
}

const LINK_CODES = { corrupt: 1, 'newer-version': 1, invalid: 1, 'no-link': 1 };
