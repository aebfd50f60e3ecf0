import {
  Divider,
  Dropdown,
  DropdownItem,
  DropdownList,
  Level,
  LevelItem,
  MenuToggle,
  PageSection,
  Switch,
  Text,
  TextContent,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";

export type HeaderAction = { key: string; title: string; onClick: () => void; danger?: boolean };

type Props = {
  title: string;
  badge?: ReactNode;
  description?: ReactNode;
  enabled?: boolean;
  onToggle?: (enabled: boolean) => void;
  actions?: HeaderAction[];
};

/**
 * A details page's header in the stock console's layout (title, an enabled switch, the "Action" menu). Built here
 * rather than with the console's ViewHeader because its menu items must come from the same PatternFly copy.
 */
export const DetailHeader = ({ title, badge, description, enabled, onToggle, actions = [] }: Props) => {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <PageSection variant="light">
        <Level hasGutter>
          <LevelItem>
            <TextContent>
              <Text component="h1" data-testid="view-header">
                {title} {badge}
              </Text>
              {description && <Text component="p">{description}</Text>}
            </TextContent>
          </LevelItem>
          <LevelItem>
            <Toolbar className="pf-v5-u-p-0">
              <ToolbarContent>
                {enabled !== undefined && (
                  <ToolbarItem alignSelf="center">
                    <Switch
                      id="ensync-header-enabled"
                      data-testid="ensync-header-enabled"
                      label={t("enabled")}
                      labelOff={t("disabled")}
                      isChecked={enabled}
                      isDisabled={!onToggle}
                      onChange={(_e, value) => onToggle?.(value)}
                      isReversed
                    />
                  </ToolbarItem>
                )}
                {actions.length > 0 && (
                  <ToolbarItem>
                    <Dropdown
                      isOpen={open}
                      onOpenChange={setOpen}
                      onSelect={() => setOpen(false)}
                      popperProps={{ position: "right" }}
                      toggle={(ref) => (
                        <MenuToggle ref={ref} data-testid="action-dropdown" onClick={() => setOpen(!open)}>
                          {t("action")}
                        </MenuToggle>
                      )}
                    >
                      <DropdownList>
                        {actions.map((action) => (
                          <DropdownItem
                            key={action.key}
                            data-testid={"ensync-action-" + action.key}
                            onClick={action.onClick}
                            isDanger={action.danger}
                          >
                            {action.title}
                          </DropdownItem>
                        ))}
                      </DropdownList>
                    </Dropdown>
                  </ToolbarItem>
                )}
              </ToolbarContent>
            </Toolbar>
          </LevelItem>
        </Level>
      </PageSection>
      <Divider component="div" />
    </>
  );
};
